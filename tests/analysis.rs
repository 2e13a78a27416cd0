//! The "compare actors" analysis on a small hand-checked project, and on the demo corpus.
//!
//! The fixture (built through the public API):
//!
//! ```text
//! actors   KS (Eide, Karlseng), FFO (Crowo), LO (Heimli)        — in that order
//! themes   X "Regler ↔ Skjønn" (axis), Y "Styring ↔ Autonomi" (axis), P "Brukermedvirkning"
//! S1 interview, 80 code points: Eide's turn [0, 40) ends with an emoji at 39; Crowo's [40, 80)
//!    "Ærlig sagt: mer <skjønn> & færre regler😀" + "Rettigheter må sikres for alle brukere. "
//! S2 interview, 60 code points, attributed to Karlseng; Heimli's turn [30, 60)
//!    "Kommunene trenger lokal frihet" + "Partene må samarbeide om først"
//! S3 literature, no person
//!
//! coding  source span      theme stance  speaker
//! c1      S1     [0, 5)    Y     −1      Eide (KS)       "Ærlig"
//! c2      S1     [5, 9)    P     –       Eide (KS)       adjacent to c1, no overlap
//! c3      S1     [10, 30)  X     +2      Eide (KS)       holds "<skjønn> &"
//! c4      S1     [20, 35)  P     –       Eide (KS)       overlaps c3 on [20, 30)
//! c5      S2     [0, 12)   X     −2      Karlseng (KS)   KS on both sides of X
//! c6      S2     [2, 8)    Y     +2      Karlseng (KS)   inside c5; KS on both sides of Y
//! c7      S1     [40, 60)  X     −1      Crowo (FFO)     starts right after the emoji
//! c8      S1     [50, 70)  X     −2      Crowo (FFO)
//! c9      S1     [45, 55)  P     –       Crowo (FFO)     overlaps c7 and c8
//! c10     S2     [30, 50)  P     –       Heimli (LO)
//! c11     S2     [40, 45)  Y     –       Heimli (LO)     an axis coding without a stance
//! c12     S2     [50, 60)  X     +1      Heimli (LO)     adjacent to c10, no overlap
//! c13     S3     [0, 10)   P     –       nobody
//! ```

use std::path::{Path, PathBuf};
use std::process::Command;

use sitat::analysis::{
    self, ColumnGrouping, CompareOptions, Counting, DisagreementPage, PositionScope,
    actor_theme_matrix, axis_disagreements, axis_disagreements_page, pair_axes, positions,
    side_by_side, theme_cooccurrence,
};
use sitat::export::report;
use sitat::model::{ActorId, CharSpan, CodingId, Poles, SourceKind, ThemeId};
use sitat::{CodingFilter, NewCoding, NewSource, NewTheme, Project};

const S1_TEXT: &str =
    "Ærlig sagt: mer <skjønn> & færre regler😀Rettigheter må sikres for alle brukere. ";
const S2_TEXT: &str = "Kommunene trenger lokal frihetPartene må samarbeide om først";

struct Fixture {
    project: Project,
    _dir: tempfile::TempDir,
    ks: ActorId,
    ffo: ActorId,
    lo: ActorId,
    x: ThemeId,
    y: ThemeId,
    p: ThemeId,
    /// c[1] … c[13] as in the table above (c[0] unused).
    c: Vec<CodingId>,
}

fn axis(name: &str, negative: &str, positive: &str) -> NewTheme {
    NewTheme {
        name: name.into(),
        poles: Some(Poles {
            negative: negative.into(),
            positive: positive.into(),
        }),
        ..Default::default()
    }
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let mut project = Project::create(dir.path().join("fixture.sitat")).unwrap();
    project.set_coder("tester");
    let ks = project
        .add_actor("KS", "Kommunesektorens organisasjon", vec![])
        .unwrap();
    let ffo = project
        .add_actor("FFO", "Funksjonshemmedes Fellesorganisasjon", vec![])
        .unwrap();
    let lo = project
        .add_actor("LO", "Landsorganisasjonen", vec![])
        .unwrap();
    let eide = project.add_person("Helge Eide", ks, "").unwrap();
    let karlseng = project.add_person("Therese Karlseng", ks, "").unwrap();
    let crowo = project.add_person("Grete Crowo", ffo, "").unwrap();
    let heimli = project.add_person("Roger Heimli", lo, "").unwrap();
    let x = project
        .add_theme(axis("Regler ↔ Skjønn", "Regler", "Skjønn"))
        .unwrap();
    let y = project
        .add_theme(axis("Styring ↔ Autonomi", "Styring", "Autonomi"))
        .unwrap();
    let p = project
        .add_theme(NewTheme {
            name: "Brukermedvirkning".into(),
            ..Default::default()
        })
        .unwrap();

    assert_eq!(S1_TEXT.chars().count(), 80);
    assert_eq!(S2_TEXT.chars().count(), 60);
    let mut s1 = NewSource::new(SourceKind::Interview, "Møte i Ålesund", S1_TEXT);
    s1.turns = vec![(CharSpan::new(0, 40), eide), (CharSpan::new(40, 80), crowo)];
    let s1 = project.add_source(s1).unwrap();
    let mut s2 = NewSource::new(SourceKind::Interview, "Samtale i Tromsø", S2_TEXT);
    s2.person_id = Some(karlseng);
    s2.turns = vec![(CharSpan::new(30, 60), heimli)];
    let s2 = project.add_source(s2).unwrap();
    let s3 = project
        .add_source(NewSource::new(
            SourceKind::Literature,
            "Fafo-notat",
            "Brukermedvirkning i praksis.",
        ))
        .unwrap();

    let plan = [
        (s1, 0, 5, y, Some(-1)),
        (s1, 5, 9, p, None),
        (s1, 10, 30, x, Some(2)),
        (s1, 20, 35, p, None),
        (s2, 0, 12, x, Some(-2)),
        (s2, 2, 8, y, Some(2)),
        (s1, 40, 60, x, Some(-1)),
        (s1, 50, 70, x, Some(-2)),
        (s1, 45, 55, p, None),
        (s2, 30, 50, p, None),
        (s2, 40, 45, y, None),
        (s2, 50, 60, x, Some(1)),
        (s3, 0, 10, p, None),
    ];
    let mut c = vec![CodingId(0)];
    for (source, start, end, theme, stance) in plan {
        let mut new = NewCoding::new(source, CharSpan::new(start, end), theme);
        new.stance = stance;
        c.push(project.code(new).unwrap());
    }
    Fixture {
        project,
        _dir: dir,
        ks,
        ffo,
        lo,
        x,
        y,
        p,
        c,
    }
}

fn assert_close(actual: f64, expected: f64) {
    assert!(
        (actual - expected).abs() < 1e-9,
        "expected {expected}, got {actual}"
    );
}

fn compare(f: &Fixture, themes: &[ThemeId], grouping: ColumnGrouping) -> analysis::SideBySide {
    side_by_side(
        &f.project,
        &CompareOptions {
            theme_ids: themes.to_vec(),
            actor_ids: vec![],
            grouping,
            counting: Counting::Quotes,
            coder_ids: Vec::new(),
        },
    )
    .unwrap()
}

#[test]
fn columns_count_share_and_mean_stance_per_actor() {
    let f = fixture();
    let view = compare(&f, &[f.x], ColumnGrouping::Actor);
    let labels: Vec<&str> = view.columns.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(labels, ["KS", "FFO", "LO"], "all actors, in project order");

    // KS coded text: S1 [0,5) ∪ [5,9) ∪ [10,30) ∪ [20,35) = 9 + 25 = 34; S2 [0,12) ∪ [2,8) = 12.
    // Total 46. On X: c3 (20) + c5 (12) = 32 → 32/46. Stances +2 and −2: mean 0 (a real 0).
    let ks = &view.columns[0];
    assert_eq!(ks.coverage.count, 2);
    assert_eq!((ks.coverage.theme_chars, ks.coverage.coded_chars), (32, 46));
    assert_close(ks.coverage.share.unwrap(), 32.0 / 46.0);
    assert_eq!(ks.mean_stance, Some(0.0));

    // FFO: c7 ∪ c8 ∪ c9 = [40,70) = 30, all of it on X (c7 ∪ c8). Mean (−1 − 2) / 2.
    let ffo = &view.columns[1];
    assert_eq!(
        (
            ffo.coverage.count,
            ffo.coverage.theme_chars,
            ffo.coverage.coded_chars
        ),
        (2, 30, 30)
    );
    assert_close(ffo.coverage.share.unwrap(), 1.0);
    assert_close(ffo.mean_stance.unwrap(), -1.5);

    // LO: [30,50) ∪ [40,45) ∪ [50,60) = 30; on X: c12 = 10 → 1/3.
    let lo = &view.columns[2];
    assert_eq!(
        (
            lo.coverage.count,
            lo.coverage.theme_chars,
            lo.coverage.coded_chars
        ),
        (1, 10, 30)
    );
    assert_close(lo.coverage.share.unwrap(), 1.0 / 3.0);
    assert_close(lo.mean_stance.unwrap(), 1.0);

    // The quotes are cut at code points: c7 starts right after the emoji.
    let quotes: Vec<&str> = ffo.quotes.iter().map(|q| q.quote.as_str()).collect();
    assert_eq!(quotes, ["Rettigheter må sikre", "r må sikres for alle"]);
    let first = &ffo.quotes[0];
    assert_eq!(first.person_name.as_deref(), Some("Grete Crowo"));
    assert_eq!(first.source_title, "Møte i Ålesund");
    assert_eq!(first.span, CharSpan::new(40, 60));
    assert_eq!(first.stance, Some(-1));
    assert_eq!(ks.quotes[0].quote, ": mer <skjønn> & fær");
}

#[test]
fn a_plain_theme_has_no_mean_stance_and_several_themes_count_overlaps_once() {
    let f = fixture();
    // P for KS: c2 [5,9) = 4 and c4 [20,35) = 15 → 19/46; no stances at all → None, not 0.
    let view = compare(&f, &[f.p], ColumnGrouping::Actor);
    let ks = &view.columns[0];
    assert_eq!((ks.coverage.count, ks.coverage.theme_chars), (2, 19));
    assert_eq!(ks.mean_stance, None);

    // X or P for KS: S1 [5,9) ∪ [10,30) ∪ [20,35) = 4 + 25 = 29, S2 [0,12) = 12 → 41/46; the
    // ten characters c3 and c4 share count once.
    let view = compare(&f, &[f.x, f.p], ColumnGrouping::Actor);
    let ks = &view.columns[0];
    assert_eq!(
        (
            ks.coverage.count,
            ks.coverage.theme_chars,
            ks.coverage.coded_chars
        ),
        (4, 41, 46)
    );
    assert_eq!(ks.mean_stance, Some(0.0));
}

#[test]
fn columns_follow_a_chosen_actor_order_or_split_by_person() {
    let f = fixture();
    let chosen = side_by_side(
        &f.project,
        &CompareOptions {
            theme_ids: vec![f.x],
            actor_ids: vec![f.lo, f.ks, f.lo],
            grouping: ColumnGrouping::Actor,
            counting: Counting::Quotes,
            coder_ids: Vec::new(),
        },
    )
    .unwrap();
    let labels: Vec<&str> = chosen.columns.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(labels, ["LO", "KS"], "chosen order, duplicates dropped");

    // By person: Eide's coded text is S1's 34 characters, 20 of them on X (c3); Karlseng's is
    // S2 [0,12) = 12, all on X (c5). Heimli is LO's only person.
    let view = compare(&f, &[f.x], ColumnGrouping::Person);
    let labels: Vec<&str> = view.columns.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(
        labels,
        [
            "Helge Eide (KS)",
            "Therese Karlseng (KS)",
            "Grete Crowo (FFO)",
            "Roger Heimli (LO)"
        ]
    );
    let eide = &view.columns[0];
    assert_eq!(
        (eide.coverage.theme_chars, eide.coverage.coded_chars),
        (20, 34)
    );
    assert_eq!(eide.mean_stance, Some(2.0));
    let karlseng = &view.columns[1];
    assert_eq!(
        (karlseng.coverage.theme_chars, karlseng.coverage.coded_chars),
        (12, 12)
    );
    assert_eq!(karlseng.mean_stance, Some(-2.0));
}

/// Excerpts take their person from the speaker turn holding their start, else from the source,
/// and the actor, person and kind filters select by that attribution.
#[test]
fn excerpts_are_attributed_through_speaker_turns_and_filtered_by_them() {
    let f = fixture();
    let ids = |filter: CodingFilter| -> Vec<CodingId> {
        let mut ids: Vec<_> = f
            .project
            .excerpts(&filter)
            .unwrap()
            .iter()
            .map(|e| e.coding.id)
            .collect();
        ids.sort();
        ids
    };
    let c = |ns: &[usize]| ns.iter().map(|&n| f.c[n]).collect::<Vec<_>>();
    let ks = CodingFilter {
        actor_ids: vec![f.ks],
        ..Default::default()
    };
    // Eide's turn in S1, and Karlseng's S2 outside Heimli's turn.
    assert_eq!(ids(ks), c(&[1, 2, 3, 4, 5, 6]));
    let lo_or_ffo = CodingFilter {
        actor_ids: vec![f.lo, f.ffo],
        ..Default::default()
    };
    assert_eq!(ids(lo_or_ffo), c(&[7, 8, 9, 10, 11, 12]));
    let heimli = f
        .project
        .excerpts(&CodingFilter::default())
        .unwrap()
        .into_iter()
        .find(|e| e.coding.id == f.c[10])
        .unwrap();
    assert_eq!(heimli.person_name.as_deref(), Some("Roger Heimli"));
    assert_eq!(heimli.actor_name.as_deref(), Some("LO"));
    let by_heimli = CodingFilter {
        person_ids: heimli.person_id.into_iter().collect(),
        theme_ids: vec![f.x, f.y],
        ..Default::default()
    };
    assert_eq!(ids(by_heimli), c(&[11, 12]));
    let literature = CodingFilter {
        source_kinds: vec![SourceKind::Literature],
        ..Default::default()
    };
    let nobody = f.project.excerpts(&literature).unwrap();
    assert_eq!(nobody.len(), 1);
    assert_eq!((nobody[0].person_id, nobody[0].actor_id), (None, None));
    assert_eq!(nobody[0].quote, "Brukermedv");
    let stats = f.project.stats().unwrap();
    assert_eq!(
        stats.codings_by_actor,
        [("KS", 6), ("FFO", 3), ("LO", 3), ("(no actor)", 1)].map(|(a, n)| (a.to_string(), n))
    );
}

#[test]
fn unknown_ids_are_errors_not_panics() {
    let f = fixture();
    let unknown_actor = CompareOptions {
        theme_ids: vec![f.x],
        actor_ids: vec![ActorId(999)],
        grouping: ColumnGrouping::Actor,
        counting: Counting::Quotes,
        coder_ids: Vec::new(),
    };
    assert!(side_by_side(&f.project, &unknown_actor).is_err());
    let unknown_theme = PositionScope {
        theme_ids: vec![ThemeId(999)],
        ..Default::default()
    };
    assert!(positions(&f.project, &unknown_theme).is_err());
    let axes = positions(&f.project, &PositionScope::default()).unwrap();
    assert!(pair_axes(&axes, f.x, f.p).is_err(), "P is not an axis");
}

#[test]
fn positions_summarise_stances_and_report_none_as_none() {
    let f = fixture();
    let axes = positions(&f.project, &PositionScope::default()).unwrap();
    let names: Vec<&str> = axes.iter().map(|a| a.theme_name.as_str()).collect();
    assert_eq!(
        names,
        ["Regler ↔ Skjønn", "Styring ↔ Autonomi"],
        "only axis themes"
    );

    // X: KS +2, −2 in two sources → mean 0, sd √((4 + 4) / 2) = 2. FFO's c7 −1 and c8 −2
    // overlap: one quote, stance −1.5, n = 1. LO +1.
    let x = &axes[0];
    let ks = x.actors[0].summary.unwrap();
    assert_eq!((ks.n, ks.min, ks.max), (2, -2.0, 2.0));
    assert_close(ks.mean, 0.0);
    assert_close(ks.std_dev, 2.0);
    let ffo = x.actors[1].summary.unwrap();
    assert_eq!((ffo.n, ffo.min, ffo.max), (1, -1.5, -1.5));
    assert_close(ffo.mean, -1.5);
    assert_close(ffo.std_dev, 0.0);
    let lo = x.actors[2].summary.unwrap();
    assert_eq!((lo.n, lo.min, lo.max), (1, 1.0, 1.0));
    assert_close(lo.std_dev, 0.0);
    let quote = &x.actors[1].stances[0];
    let stance_ids: Vec<CodingId> = quote.codings.iter().map(|q| q.coding_id).collect();
    assert_eq!(stance_ids, [f.c[7], f.c[8]]);
    assert_eq!(quote.span, CharSpan::new(40, 70));
    assert_eq!(quote.quote, "Rettigheter må sikres for alle");
    assert_eq!(
        quote.main().coding_id,
        f.c[7],
        "the longer, then the earlier"
    );

    // Counting per coding, on request, gives FFO's two codings their own weight again.
    let per_coding = positions(
        &f.project,
        &PositionScope {
            counting: Counting::Codings,
            ..Default::default()
        },
    )
    .unwrap();
    let ffo = per_coding[0].actors[1].summary.unwrap();
    assert_eq!((ffo.n, ffo.min, ffo.max), (2, -2.0, -1.0));
    assert_close(ffo.std_dev, 0.5);

    // Y: KS −1, +2 → mean 0.5, sd 1.5. FFO never coded Y; LO did, but without a stance.
    let y = &axes[1];
    let ks = y.actors[0].summary.unwrap();
    assert_close(ks.mean, 0.5);
    assert_close(ks.std_dev, 1.5);
    assert_eq!(y.actors[1].actor_id, f.ffo);
    assert_eq!(y.actors[1].summary, None);
    assert_eq!(y.actors[1].codings_without_stance, 0);
    assert_eq!(y.actors[2].actor_id, f.lo);
    assert_eq!(y.actors[2].summary, None);
    assert!(y.actors[2].stances.is_empty());
    assert_eq!(y.actors[2].codings_without_stance, 1);

    // The 2-D pairing keeps only actors with a mean on both axes.
    let points = pair_axes(&axes, f.x, f.y).unwrap();
    assert_eq!(points.len(), 1);
    assert_eq!(points[0].actor_id, f.ks);
    assert_close(points[0].x, 0.0);
    assert_close(points[0].y, 0.5);

    // A scope narrows both ways; a plain theme in it is skipped.
    let narrow = positions(
        &f.project,
        &PositionScope {
            theme_ids: vec![f.p, f.y],
            actor_ids: vec![f.lo],
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(narrow.len(), 1);
    assert_eq!(narrow[0].theme_id, f.y);
    assert_eq!(narrow[0].actors.len(), 1);
}

#[test]
fn actor_theme_matrix_counts_and_shares() {
    let f = fixture();
    let matrix = actor_theme_matrix(&f.project).unwrap();
    let cell = |actor, theme| *matrix.cell(actor, theme).unwrap();
    // KS: Y = c1 [0,5) + c6 [2,8) in another source = 11 of 46, two quotes.
    let ks_y = cell(f.ks, f.y);
    assert_eq!(
        (ks_y.count, ks_y.quotes, ks_y.theme_chars, ks_y.coded_chars),
        (2, 2, 11, 46)
    );
    // KS: P = c2 [5,9) and c4 [20,35), two codings in one paragraph of S1: one quote.
    let ks_p = cell(f.ks, f.p);
    assert_eq!((ks_p.count, ks_p.quotes), (2, 1));
    // FFO never coded Y: a count of 0 and a share of 0 (FFO has coded text).
    let ffo_y = cell(f.ffo, f.y);
    assert_eq!((ffo_y.count, ffo_y.share), (0, Some(0.0)));
    // LO: P = c10 [30,50) = 20 of 30.
    let lo_p = cell(f.lo, f.p);
    assert_eq!((lo_p.count, lo_p.theme_chars), (1, 20));
    assert_close(lo_p.share.unwrap(), 20.0 / 30.0);
    // The literature coding c13 belongs to no actor: P counts 2 + 1 + 1 over the actors.
    let p_total: usize = [f.ks, f.ffo, f.lo]
        .iter()
        .map(|&a| cell(a, f.p).count)
        .sum();
    assert_eq!(p_total, 4);
    assert_eq!(matrix.actors[0].coded_chars, 46);
}

#[test]
fn cooccurrence_counts_overlapping_pairs_but_not_adjacent_spans() {
    let f = fixture();
    let matrix = theme_cooccurrence(&f.project).unwrap();
    let count = |a, b| matrix.count(a, b).unwrap();
    // Diagonal = codings per theme: X c3 c5 c7 c8 c12; Y c1 c6 c11; P c2 c4 c9 c10 c13.
    assert_eq!(
        (count(f.x, f.x), count(f.y, f.y), count(f.p, f.p)),
        (5, 3, 5)
    );
    // X–P: c3/c4, c7/c9, c8/c9 = 3. c12 [50,60) only touches c10 [30,50): not a fourth.
    assert_eq!(count(f.x, f.p), 3);
    // Y–P: c11/c10 = 1. c1 [0,5) and c2 [5,9) are adjacent, not overlapping.
    assert_eq!(count(f.y, f.p), 1);
    // X–Y: c5/c6 = 1 (c7 and c8 overlap each other, but a theme with itself is not counted).
    assert_eq!(count(f.x, f.y), 1);
    assert_eq!(count(f.p, f.x), count(f.x, f.p), "symmetric");
}

#[test]
fn disagreements_pair_opposing_quotes_per_pair_of_actors_strongest_first() {
    let f = fixture();
    let axes = positions(&f.project, &PositionScope::default()).unwrap();
    let x = axis_disagreements(&axes[0]);
    // Negative quotes: KS c5 −2; FFO c7+c8 (overlapping: one quote, −1.5). Positive: KS c3 +2,
    // LO c12 +1. Groups (a negative actor against a positive one, never itself), strongest first.
    let groups: Vec<(&str, &str, usize, f64)> = x
        .actor_pairs
        .iter()
        .map(|g| {
            (
                g.negative_actor_name.as_str(),
                g.positive_actor_name.as_str(),
                g.total_pairs,
                g.strongest,
            )
        })
        .collect();
    assert_eq!(
        groups,
        [
            ("FFO", "KS", 1, 3.5),
            ("KS", "LO", 1, 3.0),
            ("FFO", "LO", 1, 2.5)
        ]
    );
    let ffo_ks = &x.actor_pairs[0].pairs[0];
    let ids = |q: &analysis::StanceQuote| q.codings.iter().map(|c| c.coding_id).collect::<Vec<_>>();
    let c = &f.c;
    assert_eq!(
        ids(&ffo_ks.negative),
        [c[7], c[8]],
        "one row for the two codings"
    );
    assert_eq!(ids(&ffo_ks.positive), [c[3]]);
    assert_close(ffo_ks.strength, 3.5);

    // KS leans both ways on X (c5 −2, c3 +2); no one else does.
    assert_eq!(x.both_sides.len(), 1);
    let ks = &x.both_sides[0];
    assert_eq!(ks.actor_id, f.ks);
    assert_eq!((ks.negative_total, ks.positive_total), (1, 1));
    assert_eq!(
        (ids(&ks.negative[0]), ids(&ks.positive[0])),
        (vec![c[5]], vec![c[3]])
    );

    // Y: KS is the only actor with stances (c1 −1, c6 +2): no pairs, but both sides.
    let y = axis_disagreements(&axes[1]);
    assert!(y.actor_pairs.is_empty());
    assert_eq!(y.both_sides.len(), 1);
    assert_eq!(analysis::disagreements(&f.project).unwrap(), vec![x, y]);
}

/// A project of one axis "Regler ↔ Skjønn" and actors A and B, one person each; `codings` are
/// (speaker 0 = A or 1 = B, source, start, end, stance) over `texts`, each text one source of
/// that speaker's.
fn small_project(
    texts: &[(usize, &str)],
    codings: &[(usize, usize, usize, i64)],
) -> (tempfile::TempDir, Project, ThemeId) {
    let dir = tempfile::tempdir().unwrap();
    let mut project = Project::create(dir.path().join("small.sitat")).unwrap();
    project.set_coder("tester");
    let mut persons = Vec::new();
    for name in ["A", "B"] {
        let actor = project.add_actor(name, "", vec![]).unwrap();
        persons.push(
            project
                .add_person(&format!("{name} person"), actor, "")
                .unwrap(),
        );
    }
    let x = project
        .add_theme(axis("Regler ↔ Skjønn", "Regler", "Skjønn"))
        .unwrap();
    let mut sources = Vec::new();
    for (i, (speaker, text)) in texts.iter().enumerate() {
        let mut source = NewSource::new(SourceKind::Interview, format!("Kilde {i}"), *text);
        source.person_id = Some(persons[*speaker]);
        sources.push(project.add_source(source).unwrap());
    }
    for &(source, start, end, stance) in codings {
        let mut new = NewCoding::new(sources[source], CharSpan::new(start, end), x);
        new.stance = Some(stance);
        project.code(new).unwrap();
    }
    (dir, project, x)
}

#[test]
fn a_sentence_split_into_two_codings_is_one_quote_but_the_next_paragraph_is_another() {
    // "Mer skjønn, " [0, 12) and "færre regler." [12, 25) split one sentence; after a blank
    // line (\r\n as Windows writes it) a second paragraph starts at 29: "Og mer tid 😀." [29, 42)
    let text = "Mer skjønn, færre regler.\r\n\r\nOg mer tid 😀.";
    assert_eq!(text.chars().count(), 42);
    let (_dir, project, _) = small_project(
        &[(0, text)],
        &[(0, 0, 12, 2), (0, 12, 25, 1), (0, 29, 42, 1)],
    );
    let axes = positions(&project, &PositionScope::default()).unwrap();
    let a = &axes[0].actors[0];
    let summary = a.summary.unwrap();
    assert_eq!(summary.n, 2, "two quotes, not three codings");
    assert_close(a.stances[0].stance, 1.5);
    assert_eq!(a.stances[0].quote, "Mer skjønn, færre regler.");
    assert_close(summary.mean, 1.25);
    let text_report = report::positions_text(&axes);
    assert!(
        text_report.contains("A: n = 2 quotes, mean +1.25, leans to Skjønn"),
        "{text_report}"
    );
    let view = side_by_side(
        &project,
        &CompareOptions {
            theme_ids: vec![axes[0].theme_id],
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(view.columns[0].coverage.quotes, 2);
    assert_eq!(view.columns[0].coverage.count, 3);
    assert_close(view.columns[0].mean_stance.unwrap(), 1.25);
    assert_eq!(view.columns[0].stance_n, 2);
    assert_eq!(view.columns[0].quote_groups, [vec![0, 1], vec![2]]);
}

#[test]
fn nested_codings_make_one_row_of_disagreement_and_pages_do_not_repeat_quotes() {
    // A codes a paragraph −1 and its sharpest sentence −2 (nested), and two more paragraphs −1
    // and −2; B has three quotes +2, +1, +1.
    let a_text = "Rettigheter først. Ingen skjønn!\n\nRegler gir trygghet.\n\nLoven skal gjelde.";
    let b_text = "Skjønn!\n\nTillit.\n\nFrihet.";
    let (_dir, project, _) = small_project(
        &[(0, a_text), (1, b_text)],
        &[
            (0, 0, 32, -1),
            (0, 19, 32, -2),
            (0, 34, 54, -1),
            (0, 56, 74, -2),
            (1, 0, 7, 2),
            (1, 9, 16, 1),
            (1, 18, 25, 1),
        ],
    );
    let axes = positions(&project, &PositionScope::default()).unwrap();
    let first_page = DisagreementPage {
        offset: 0,
        limit: 2,
        counting: Counting::Quotes,
    };
    let x = axis_disagreements_page(&axes[0], &first_page);
    assert_eq!(x.actor_pairs.len(), 1);
    let group = &x.actor_pairs[0];
    assert_eq!(
        group.total_pairs, 3,
        "three quotes each side: three rows, not 4 × 3 pairs"
    );
    let rows: Vec<(f64, f64, f64)> = group
        .pairs
        .iter()
        .map(|p| (p.strength, p.negative.stance, p.positive.stance))
        .collect();
    assert_eq!(rows, [(4.0, -2.0, 2.0), (2.5, -1.5, 1.0)]);
    assert_eq!(
        group.pairs[1].negative.codings.len(),
        2,
        "the nested pair is one quote"
    );
    assert_eq!(
        group.pairs[1].negative.quote,
        "Rettigheter først. Ingen skjønn!"
    );
    let second_page = axis_disagreements_page(
        &axes[0],
        &DisagreementPage {
            offset: 2,
            ..first_page
        },
    );
    let rest = &second_page.actor_pairs[0];
    assert_eq!((rest.first_row(), rest.pairs.len()), (3, 1));
    assert_close(rest.pairs[0].strength, 2.0);
    // No quote twice on a page.
    let mut seen: Vec<_> = group
        .pairs
        .iter()
        .flat_map(|p| [p.negative.span, p.positive.span])
        .collect();
    let before = seen.len();
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), before);
    let text = report::disagreements_text(&[x]);
    assert!(
        text.contains("A (Regler) against B (Skjønn): 3 pairs of opposing quotes, rows 1–2 shown"),
        "{text}"
    );
    assert!(text.contains("strength 4.00 (stance difference)"), "{text}");
}

#[test]
fn reports_contain_the_quotes_with_citations_and_escape_markup() {
    let f = fixture();
    let view = compare(&f, &[f.x], ColumnGrouping::Actor);
    let axes = positions(
        &f.project,
        &PositionScope {
            theme_ids: vec![f.x],
            ..Default::default()
        },
    )
    .unwrap();

    let markdown = report::compare_markdown(&view);
    assert!(
        markdown.contains("> : mer &lt;skjønn&gt; &amp; fær"),
        "{markdown}"
    );
    assert!(!markdown.contains("<skjønn>"));
    assert!(markdown.contains("Rettigheter må sikre"));
    assert!(markdown.contains("*Møte i Ålesund*, characters [40, 60)"));
    assert!(markdown.contains("| share of coded text | 69.57 % | 100.00 % | 33.33 % |"));
    assert!(markdown.contains("| mean stance | 0.00 | -1.50 | +1.00 |"));
    assert!(markdown.contains("| quotes | 2 | 1 | 1 |"), "{markdown}");

    let html = report::compare_html(&view, &axes);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains(": mer &lt;skjønn&gt; &amp; fær"));
    assert!(!html.contains("<skjønn>"));
    assert!(html.contains("Møte i Ålesund</i>, characters [40, 60)"));
    // Self-contained: no scripts, and no address but the SVG namespace.
    assert!(!html.contains("<script"));
    assert_eq!(
        html.matches("http").count(),
        html.matches("xmlns=\"http://www.w3.org/2000/svg\"").count()
    );
    // The position map: the axis with its poles, and a whisker and dot per actor with stances.
    let svg = report::position_map_svg(&axes);
    assert!(
        svg.contains("Regler ↔ Skjønn") && svg.contains("← Regler") && svg.contains("Skjønn →")
    );
    assert_eq!(svg.matches("<circle").count(), 3);
    assert!(svg.contains("n = 1 quote · mean -1.50"), "{svg}");
    assert!(html.contains(&svg));

    let all_axes = positions(&f.project, &PositionScope::default()).unwrap();
    let positions_md = report::positions_markdown(&all_axes);
    // LO on Y: no stance (dashes, not zeros), one coding without a stance.
    assert!(
        positions_md.contains("| LO | 0 | – | – | – | – | 1 |"),
        "{positions_md}"
    );
    assert!(report::positions_html(&all_axes).contains("<svg"));

    // P per actor: KS 19/46, FFO 10/30, LO 20/30 (see the matrix test).
    let matrix = actor_theme_matrix(&f.project).unwrap();
    let cooccurrence = theme_cooccurrence(&f.project).unwrap();
    let matrix_md = report::matrix_markdown(&matrix, Some(&cooccurrence));
    assert!(
        matrix_md.contains("| Brukermedvirkning | 1 (41.30 %) | 1 (33.33 %) | 1 (66.67 %) |"),
        "{matrix_md}"
    );
    assert!(matrix_md.contains("| 3 | Brukermedvirkning | 3 | 1 | 5 |"));
    let matrix_html = report::matrix_html(&matrix, Some(&cooccurrence));
    assert!(matrix_html.contains("<td>Brukermedvirkning</td><td class=\"n\">1 (41.30 %)</td>"));
    let disagreements = analysis::disagreements(&f.project).unwrap();
    let disagreements_md = report::disagreements_markdown(&disagreements);
    assert!(disagreements_md.contains("&lt;skjønn&gt;"));
    assert!(report::disagreements_html(&disagreements).contains("1. Strength 3.50"));
}

#[test]
fn numbers_export_as_csv_and_json() {
    let f = fixture();
    let view = compare(&f, &[f.x], ColumnGrouping::Actor);
    let mut csv = Vec::new();
    report::write_compare_csv(&mut csv, &view).unwrap();
    let csv = String::from_utf8(csv).unwrap();
    assert_eq!(
        csv.lines().take(2).collect::<Vec<_>>(),
        [
            "column,actor,person,codings,quotes,theme_chars,coded_chars,share_pct,mean_stance,stance_n",
            "KS,KS,,2,2,32,46,69.57,0.00,2"
        ]
    );

    let axes = positions(&f.project, &PositionScope::default()).unwrap();
    let mut csv = Vec::new();
    report::write_positions_csv(&mut csv, &axes).unwrap();
    let csv = String::from_utf8(csv).unwrap();
    assert!(
        csv.contains("Styring ↔ Autonomi,Styring,Autonomi,LO,0,quote,,,,,1\n"),
        "{csv}"
    );
    assert!(csv.contains("Regler ↔ Skjønn,Regler,Skjønn,FFO,1,quote,-1.50,-1.50,-1.50,0.00,0\n"));

    let mut json = Vec::new();
    report::write_json(&mut json, &axes).unwrap();
    let value: serde_json::Value = serde_json::from_slice(&json).unwrap();
    assert!(
        value[1]["actors"][1]["summary"].is_null(),
        "no stance is null, not 0"
    );
    assert_eq!(value[0]["actors"][1]["summary"]["mean"], -1.5);
}

// ---- the demo corpus --------------------------------------------------------------------------

fn demo_project(dir: &Path) -> PathBuf {
    let path = dir.join("demo.sitat");
    sitat::corpus::write_demo_project(&path).unwrap();
    path
}

fn demo_positions_json(path: &Path) -> String {
    let project = Project::open(path).unwrap();
    let axes = positions(&project, &PositionScope::default()).unwrap();
    let mut json = Vec::new();
    report::write_json(&mut json, &axes).unwrap();
    String::from_utf8(json).unwrap()
}

/// The demo's positions as JSON must not change unnoticed. When corpus/manifest.json changes on
/// purpose, regenerate: `UPDATE_SNAPSHOTS=1 cargo test --no-default-features --test analysis`.
#[test]
fn demo_positions_match_the_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let actual = demo_positions_json(&demo_project(dir.path()));
    let snapshot =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/demo_positions.json");
    let update = std::env::var("UPDATE_SNAPSHOTS").is_ok_and(|v| v == "1");
    if update || !snapshot.exists() {
        assert!(
            update || std::env::var_os("CI").is_none(),
            "{} is missing; generate it with UPDATE_SNAPSHOTS=1 cargo test --no-default-features --test analysis and commit it",
            snapshot.display()
        );
        std::fs::write(&snapshot, &actual).unwrap();
        eprintln!("wrote {}", snapshot.display());
        return;
    }
    let expected = std::fs::read_to_string(&snapshot).unwrap();
    assert!(
        actual == expected,
        "the demo's positions differ from {}; if corpus/manifest.json changed on purpose, \
         regenerate with UPDATE_SNAPSHOTS=1 cargo test --no-default-features --test analysis",
        snapshot.display()
    );
}

fn sitat(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_sitat"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn cli_positions_prints_the_same_json_as_the_library() {
    let dir = tempfile::tempdir().unwrap();
    let demo = demo_project(dir.path());
    let output = sitat(&["positions", demo.to_str().unwrap(), "--format", "json"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(stdout, demo_positions_json(&demo));
    assert!(stdout.contains("\"theme_name\": \"Statlig styring ↔ Lokal autonomi\""));
}

/// `sitat positions DEMO` tells chapter 4's story on both axes, n in quotes.
#[test]
fn cli_positions_tells_the_story_of_the_notes_conclusion() {
    let dir = tempfile::tempdir().unwrap();
    let demo = demo_project(dir.path());
    let output = sitat(&["positions", demo.to_str().unwrap()]);
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    for line in [
        // The government, LO and KS want room for professional judgement; FFO guards rights.
        "KDD: n = 2 quotes, mean +1.00, leans to Skjønn",
        "LO: n = 3 quotes, mean +1.00, leans to Skjønn",
        "KS: n = 1 quote, mean +1.00, leans to Skjønn",
        "FFO: n = 1 quote, mean -1.00, leans to Regler/rettigheter",
        // KS wants power delegated; LO the reform worked out locally; the government starts it
        // with KS; FFO wants the same services in every municipality.
        "KDD: n = 1 quote, mean 0.00, in the middle",
        "LO: n = 1 quote, mean +1.00, leans to Lokal autonomi",
        "KS: n = 2 quotes, mean +2.00, leans to Lokal autonomi",
        "FFO: n = 1 quote, mean -1.00, leans to Statlig styring",
    ] {
        assert!(text.contains(line), "{line:?} in\n{text}");
    }
}

#[test]
fn cli_compare_writes_an_html_report_and_names_valid_actors_on_error() {
    let dir = tempfile::tempdir().unwrap();
    let demo = demo_project(dir.path());
    let demo = demo.to_str().unwrap();
    let report_path = dir.path().join("compare.html");
    let output = sitat(&[
        "compare",
        demo,
        "--theme",
        "statlig styring ↔ lokal autonomi",
        "--actors",
        "ks,FFO",
        "--format",
        "html",
        "--output",
        report_path.to_str().unwrap(),
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).starts_with("wrote "));
    let html = std::fs::read_to_string(&report_path).unwrap();
    assert!(html.contains("<svg") && html.contains("Lokal autonomi →"));
    let column_headings: Vec<&str> = html.matches("<section class=\"column\">\n<h2>").collect();
    assert_eq!(column_headings.len(), 2, "KS and FFO only");
    assert!(
        html.contains("Sterk statlig styring begrenser"),
        "a KS quote"
    );
    assert!(
        html.contains("geografiske forskjeller"),
        "FFO's quote for rights the same in every municipality"
    );

    let unknown = sitat(&[
        "compare",
        demo,
        "--theme",
        "Brukermedvirkning",
        "--actors",
        "NAV",
    ]);
    assert!(!unknown.status.success());
    let stderr = String::from_utf8_lossy(&unknown.stderr);
    assert!(
        stderr.contains("no actor named \"NAV\"") && stderr.contains("KDD, LO, KS, FFO"),
        "{stderr}"
    );
}
