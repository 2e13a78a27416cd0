//! A generated corpus in the demo's shape: interview excerpts attributed to persons of actors
//! (KDD, LO, KS, FFO, …) and literature passages, in Norwegian Bokmål with some English, with
//! the domain's compounds (skjønnsutøvelse, brukermedvirkning, trepartssamarbeidet …), a Zipf
//! vocabulary of ~30,000 words, a rare word, a common word and a recurring phrase.

use std::path::Path;

use sitat::model::SourceKind;
use sitat::{Command, NewSource, Project};

/// A small, fast, deterministic generator (xorshift64*).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const NB_FUNCTION: &[&str] = &[
    "og", "i", "det", "som", "er", "på", "en", "til", "av", "for", "at", "med", "vi", "ikke",
    "har", "de", "den", "å", "seg", "om", "kan", "jeg", "et", "så", "men", "fra", "må", "skal",
    "vil", "være", "blir", "også", "mer", "når", "der", "hvor", "eller", "alle", "noe", "få",
];
const NB_CONTENT: &[&str] = &[
    "kommunen",
    "kommunene",
    "ansatte",
    "ledelsen",
    "brukerne",
    "reformen",
    "styring",
    "rettigheter",
    "rettighetene",
    "handlingsrom",
    "førstelinja",
    "makt",
    "kontroll",
    "ressurser",
    "tjenestene",
    "medvirkning",
    "samarbeid",
    "partene",
    "arbeidsgiver",
    "tillitsvalgte",
    "skjønn",
    "regler",
    "måling",
    "rapportering",
    "byråkrati",
    "innbyggerne",
    "velferdsstaten",
    "profesjonene",
    "kvalitet",
    "gå",
    "ga",
    "gått",
    "økt",
    "mindre",
    "viktig",
    "ordningen",
    "staten",
    "departementet",
    "avtalen",
    "hovedavtalen",
    "lederne",
    "fagfolk",
    "målstyring",
    "organisering",
    "skjønnsutøvelse",
    "skjønnsbasert",
    "skjønnsvurderingene",
    "brukermedvirkning",
    "tillitsreformen",
    "trepartssamarbeidet",
    "medvirkningsprosessen",
    "kvalitetsmåling",
];
const EN_FUNCTION: &[&str] = &[
    "the", "and", "of", "to", "in", "is", "that", "it", "for", "as", "with", "are", "be", "this",
    "on", "not", "we", "they", "by", "have", "which", "or", "from", "more",
];
const EN_CONTENT: &[&str] = &[
    "trust",
    "reform",
    "discretion",
    "rights",
    "workers",
    "management",
    "public",
    "sector",
    "governance",
    "control",
    "services",
    "users",
    "participation",
    "municipalities",
    "state",
    "professionals",
    "autonomy",
    "measurement",
    "bureaucracy",
    "quality",
    "frontline",
    "unions",
];
const SYLLABLES: &[&str] = &[
    "ka", "ro", "tes", "vik", "lan", "dø", "sæ", "bå", "mer", "stad", "ning", "het", "for", "ut",
    "inn", "sam", "arb", "eid", "lig", "else", "skap", "ver", "dal", "fjell", "hus", "tøm", "skå",
    "rett", "lov", "ord",
];

/// The fixed queries' words: how often each is drawn per word of text.
const COMMON: (&str, f64) = ("tillit", 0.012);
const RARE: (&str, f64) = ("rettighetsfesting", 0.000_03);
const PHRASE: (&str, f64) = ("økt handlingsrom", 0.002);

pub const ACTORS: &[&str] = &["KDD", "LO", "KS", "FFO", "Unio", "NHO", "Akademikerne"];

struct Vocabulary {
    words: Vec<String>,
    cumulative: Vec<f64>,
}

impl Vocabulary {
    fn new(rng: &mut Rng, function: &[&str], content: &[&str], synthetic: usize) -> Self {
        let mut words: Vec<String> = function.iter().map(|w| w.to_string()).collect();
        words.extend(content.iter().map(|w| w.to_string()));
        for _ in 0..synthetic {
            let n = 2 + rng.below(3);
            let w: String = (0..n)
                .map(|_| SYLLABLES[rng.below(SYLLABLES.len())])
                .collect();
            words.push(w);
        }
        let mut total = 0.0;
        let cumulative = (0..words.len())
            .map(|rank| {
                total += 1.0 / (rank as f64 + 1.0);
                total
            })
            .collect();
        Vocabulary { words, cumulative }
    }

    fn pick(&self, rng: &mut Rng) -> &str {
        let total = *self.cumulative.last().expect("words");
        let x = rng.unit() * total;
        let i = self.cumulative.partition_point(|c| *c < x);
        &self.words[i.min(self.words.len() - 1)]
    }
}

fn paragraph(rng: &mut Rng, vocab: &Vocabulary, words: usize, out: &mut String) -> usize {
    let mut written = 0;
    let mut sentence_left = 0;
    while written < words {
        if sentence_left == 0 {
            sentence_left = 8 + rng.below(13);
        }
        let u = rng.unit();
        let word: &str = if u < RARE.1 {
            RARE.0
        } else if u < RARE.1 + PHRASE.1 {
            PHRASE.0
        } else if u < RARE.1 + PHRASE.1 + COMMON.1 {
            COMMON.0
        } else {
            vocab.pick(rng)
        };
        let start_of_sentence = out.is_empty() || out.ends_with(". ");
        if start_of_sentence {
            let mut chars = word.chars();
            if let Some(first) = chars.next() {
                out.extend(first.to_uppercase());
                out.push_str(chars.as_str());
            }
        } else {
            out.push_str(word);
        }
        written += word.split(' ').count();
        sentence_left -= 1;
        if sentence_left == 0 || written >= words {
            out.push_str(". ");
        } else if rng.below(12) == 0 {
            out.push_str(", ");
        } else {
            out.push(' ');
        }
    }
    written
}

/// Writes a project of about `target_words` words to `path`; returns it and its word count.
pub fn generate(path: &Path, target_words: usize, seed: u64) -> (Project, usize) {
    let mut rng = Rng::new(seed);
    let nb = Vocabulary::new(&mut rng, NB_FUNCTION, NB_CONTENT, 30_000);
    let en = Vocabulary::new(&mut rng, EN_FUNCTION, EN_CONTENT, 8_000);
    let mut project = Project::create(path).expect("create project");
    let mut persons = Vec::new();
    for actor in ACTORS {
        let id = project.add_actor(actor, "", vec![]).expect("actor");
        for i in 0..3 {
            persons.push(
                project
                    .add_person(&format!("{actor} person {i}"), id, "")
                    .expect("person"),
            );
        }
    }
    let mut ids = project.ids().expect("ids");
    let mut commands = Vec::new();
    let mut total = 0;
    let mut n = 0;
    while total < target_words {
        n += 1;
        let interview = rng.below(10) < 7;
        let english = rng.below(10) < 2;
        let vocab = if english { &en } else { &nb };
        let mut text = String::new();
        let paragraphs = 3 + rng.below(6);
        for p in 0..paragraphs {
            if p > 0 {
                text.truncate(text.trim_end().len());
                text.push_str("\n\n");
            }
            let len = 40 + rng.below(50);
            total += paragraph(&mut rng, vocab, len, &mut text);
        }
        let (kind, title) = if interview {
            (SourceKind::Interview, format!("Intervju {n}"))
        } else {
            (SourceKind::Literature, format!("Kapittel {n}"))
        };
        let mut source = NewSource::new(kind, title, text.trim_end().to_string());
        if interview {
            source.person_id = Some(persons[rng.below(persons.len())]);
        }
        commands.push(Project::add_source_command(&mut ids, source).1);
    }
    project
        .apply(Command::Batch {
            label: "generate corpus".into(),
            commands,
        })
        .expect("apply");
    (project, total)
}
