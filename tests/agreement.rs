//! Inter-coder agreement on a project whose figures were computed by hand (see each test), and
//! the `sitat agreement` command's JSON.

mod common;

use sitat::analysis::agreement::{
    AgreementOptions, AgreementReport, AgreementRow, Resolution, agreement, differences, resolve,
};
use sitat::model::*;
use sitat::{NewCoding, NewSource, NewTheme, Project};

/// Four paragraphs, 63 code points, six line breaks (at 17, 18, 33, 34, 50, 51):
/// [0, 17) [19, 33) [35, 50) [52, 63). The emoji and æøå are one code point each.
const TEXT: &str = "Ålpha 😀eta gamma.\n\nDølta epsilon.\n\nZeta eta theta.\n\nIota kappa.";

struct TwoCoders {
    _tmp: common::TempProject,
    project: Project,
    axis: ThemeId,
}

/// Ada codes [0, 5) −2 and [19, 33) +1 on the axis, and [2, 4) with another theme;
/// Bo codes [0, 17) −1, [20, 25) +2 and [35, 39) without a stance on the axis.
fn two_coders() -> TwoCoders {
    let tmp = common::temp_path("agreement.sitat");
    let mut project = Project::create(&tmp.path).unwrap();
    let axis = project
        .add_theme(NewTheme {
            name: "Regler ↔ Skjønn".into(),
            poles: Some(Poles {
                negative: "Regler".into(),
                positive: "Skjønn".into(),
            }),
            ..Default::default()
        })
        .unwrap();
    let other = project
        .add_theme(NewTheme {
            name: "Brukermedvirkning".into(),
            ..Default::default()
        })
        .unwrap();
    let source = project
        .add_source(NewSource::new(SourceKind::Interview, "Intervju", TEXT))
        .unwrap();
    // A source only Ada coded is out of scope.
    let alone = project
        .add_source(NewSource::new(SourceKind::Interview, "Alene", "Bare Ada."))
        .unwrap();
    let code = |project: &mut Project, theme, start, end, stance| {
        let mut new = NewCoding::new(source, CharSpan::new(start, end), theme);
        new.stance = stance;
        project.code(new).unwrap();
    };
    project.set_coder("Ada");
    code(&mut project, axis, 0, 5, Some(-2));
    code(&mut project, axis, 19, 33, Some(1));
    code(&mut project, other, 2, 4, None);
    project
        .code(NewCoding::new(alone, CharSpan::new(0, 4), axis))
        .unwrap();
    project.set_coder("Bo");
    code(&mut project, axis, 0, 17, Some(-1));
    code(&mut project, axis, 20, 25, Some(2));
    code(&mut project, axis, 35, 39, None);
    TwoCoders {
        _tmp: tmp,
        project,
        axis,
    }
}

fn close(actual: Option<f64>, expected: f64) {
    let actual = actual.expect("a figure");
    assert!(
        (actual - expected).abs() < 1e-9,
        "{actual} is not {expected}"
    );
}

fn row<'a>(report: &'a AgreementReport, theme: &str, unit: &str) -> &'a AgreementRow {
    report
        .themes
        .iter()
        .find(|r| r.theme == theme && r.unit.label() == unit)
        .unwrap_or_else(|| panic!("no {theme} {unit} row in {report:#?}"))
}

#[test]
fn paragraph_level_by_hand() {
    let fixture = two_coders();
    let report = agreement(&fixture.project, &AgreementOptions::default()).unwrap();
    assert_eq!(report.coders, ["Ada", "Bo"]);
    assert_eq!(
        report.sources, 1,
        "the source only Ada coded is out of scope"
    );
    // Paragraph values (Ada, Bo): (1,1) (1,1) (0,1) (0,0).
    let axis = row(&report, "Regler ↔ Skjønn", "paragraph");
    assert_eq!(axis.units, 4);
    close(axis.percent_agreement, 75.0);
    // p_o = 3/4, p_e = 2/4·3/4 + 2/4·1/4 = 1/2.
    close(axis.kappa, 0.5);
    // n = 8, n_1 = 5, n_0 = 3, o_01 = o_10 = 1: α = 1 − (2/8) / (2·5·3/56) = 8/15.
    close(axis.alpha, 8.0 / 15.0);
    // Stances: paragraph 1 (−2, −1), paragraph 2 (+1, +2), the rest missing:
    // D_o = 1, D_e = 80/12, α = 0.85.
    close(axis.alpha_interval, 0.85);
    assert_eq!(axis.stance_units, Some(2));
    // Coded text only: paragraph 4 drops out; (1,1) (1,1) (0,1).
    let coded = axis.coded_text_only;
    assert_eq!(coded.units, 3);
    close(coded.percent_agreement, 200.0 / 3.0);
    close(coded.kappa, 0.0);
    close(coded.alpha, 0.0);
    // One source, two coders: the source's and the pair's rows are the pooled figures.
    assert_eq!(report.by_source.len(), 1);
    assert_eq!(report.by_source[0].name, "Intervju");
    assert_eq!(report.by_pair.len(), 1);
    assert_eq!(report.by_pair[0].name, "Ada and Bo");
    for group in [&report.by_source[0], &report.by_pair[0]] {
        assert_eq!(group.paragraph.alpha, report.overall[0].alpha);
        assert_eq!(group.character.units, report.overall[1].units);
    }
    // A plain theme has no stance figure.
    let other = row(&report, "Brukermedvirkning", "paragraph");
    assert_eq!(other.alpha_interval, None);
    close(other.percent_agreement, 75.0);
    close(other.alpha, 0.0);
}

#[test]
fn character_level_by_hand() {
    let fixture = two_coders();
    let report = agreement(&fixture.project, &AgreementOptions::default()).unwrap();
    let axis = row(&report, "Regler ↔ Skjønn", "character");
    // 63 code points less 6 line breaks. Both: 10, Ada only: 9, Bo only: 16, neither: 22.
    assert_eq!(axis.units, 57);
    close(axis.percent_agreement, 100.0 * 32.0 / 57.0);
    close(axis.kappa, 152.0 / 1577.0);
    close(axis.alpha, 560.0 / 6210.0);
    assert_eq!(axis.alpha_interval, None);
    // Coded text only: the 35 code points someone coded; nobody's "neither" is left.
    let coded = axis.coded_text_only;
    assert_eq!(coded.units, 35);
    close(coded.percent_agreement, 100.0 * 10.0 / 35.0);
    close(coded.kappa, -288.0 / 587.0);
    close(coded.alpha, -8.0 / 15.0);
}

#[test]
fn rows_sorted_by_disagreement_and_pooled() {
    let fixture = two_coders();
    let report = agreement(&fixture.project, &AgreementOptions::default()).unwrap();
    let paragraphs: Vec<&str> = report
        .themes
        .iter()
        .filter(|r| r.unit.label() == "paragraph")
        .map(|r| r.theme.as_str())
        .collect();
    // α 0 before α 8/15: the theme with less agreement comes first.
    assert_eq!(paragraphs, ["Brukermedvirkning", "Regler ↔ Skjønn"]);
    assert_eq!(report.overall.len(), 2);
    assert_eq!(report.overall[0].units, 8, "two themes × four paragraphs");
    assert_eq!(report.overall[1].units, 114, "two themes × 57 code points");
}

#[test]
fn chosen_coders_and_themes() {
    let fixture = two_coders();
    let project = &fixture.project;
    let ada = project.coder_by_name("ada").unwrap().id;
    let bo = project.coder_by_name("BO").unwrap().id;
    let options = AgreementOptions {
        coder_ids: vec![bo, ada],
        theme_ids: vec![fixture.axis],
    };
    let report = agreement(project, &options).unwrap();
    assert_eq!(report.coders, ["Bo", "Ada"]);
    assert_eq!(report.themes.len(), 2);
    // One coder is no agreement: the error says what to do.
    let error = agreement(
        project,
        &AgreementOptions {
            coder_ids: vec![ada],
            theme_ids: vec![],
        },
    )
    .unwrap_err()
    .to_string();
    assert!(error.contains("at least two coders"), "{error}");
    assert!(error.contains("Ada"), "{error}");
    let unknown = project.coder_by_name("Cy").unwrap_err().to_string();
    assert!(unknown.contains("Ada, Bo"), "{unknown}");
}

#[test]
fn cli_json_has_the_documented_shape() {
    let fixture = two_coders();
    let path = fixture.project.path().to_path_buf();
    drop(fixture.project);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_sitat"))
        .args(["agreement", path.to_str().unwrap(), "--format", "json"])
        .args(["--coders", "Ada,Bo", "--theme", "Regler ↔ Skjønn"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["coders"], serde_json::json!(["Ada", "Bo"]));
    let rows = json["themes"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    let paragraph = &rows[0];
    assert_eq!(paragraph["theme"], "Regler ↔ Skjønn");
    assert_eq!(paragraph["unit"], "paragraph");
    assert_eq!(paragraph["percent_agreement"], 75.0);
    assert_eq!(paragraph["kappa"], 0.5);
    assert!((paragraph["alpha"].as_f64().unwrap() - 8.0 / 15.0).abs() < 1e-12);
    assert!((paragraph["alpha_interval"].as_f64().unwrap() - 0.85).abs() < 1e-12);
    assert_eq!(paragraph["units"], 4);
    assert_eq!(paragraph["coded_text_only"]["units"], 3);
    assert_eq!(rows[1]["unit"], "character");
    assert!(rows[1]["alpha_interval"].is_null());

    // The excerpt commands filter by coder too.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_sitat"))
        .args([
            "codings",
            path.to_str().unwrap(),
            "--coder",
            "bo",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let codings: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let codings = codings.as_array().unwrap();
    assert_eq!(codings.len(), 3);
    assert!(codings.iter().all(|c| c["coder"] == "Bo"), "{codings:?}");

    for format in ["text", "csv"] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_sitat"))
            .args(["agreement", path.to_str().unwrap(), "--format", format])
            .output()
            .unwrap();
        assert!(out.status.success());
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("Regler ↔ Skjønn"), "{text}");
        assert!(text.contains("75"), "{text}");
    }
}

#[test]
fn differences_between_two_coders_are_clusters_of_overlapping_codings() {
    let fixture = two_coders();
    let project = &fixture.project;
    let ada = project.coder_by_name("Ada").unwrap().id;
    let bo = project.coder_by_name("Bo").unwrap().id;
    let found = differences(project, ada, bo, Some(fixture.axis)).unwrap();
    // [0, 17): Ada [0, 5) −2, Bo [0, 17) −1; [19, 33): Ada +1, Bo [20, 25) +2; [35, 39) only Bo.
    // Ada's coding in the source only she coded is a difference too.
    let spans: Vec<(String, usize, usize)> = found
        .iter()
        .map(|d| (d.source_title.clone(), d.span.start, d.span.end))
        .collect();
    assert_eq!(
        spans,
        [
            ("Intervju".to_string(), 0, 17),
            ("Intervju".to_string(), 19, 33),
            ("Intervju".to_string(), 35, 39),
            ("Alene".to_string(), 0, 4),
        ]
    );
    assert_eq!(found[0].a[0].quote, "Ålpha");
    assert_eq!(found[0].b[0].quote, "Ålpha 😀eta gamma.");
    assert_eq!(found[2].what(), "only the second coder coded this");
    assert_eq!(found[3].what(), "only the first coder coded this");
}

#[test]
fn resolving_a_difference_makes_the_coders_agree_and_undoes_in_one_step() {
    let mut fixture = two_coders();
    let ada = fixture.project.coder_by_name("Ada").unwrap().id;
    let bo = fixture.project.coder_by_name("Bo").unwrap().id;
    let axis = Some(fixture.axis);
    let before = agreement(&fixture.project, &AgreementOptions::default()).unwrap();
    let all_before = fixture.project.all_codings().unwrap();

    // Accept Ada's reading of the first paragraph: Bo's [0, 17) −1 becomes Ada's [0, 5) −2.
    let found = differences(&fixture.project, ada, bo, axis).unwrap();
    resolve(
        &mut fixture.project,
        &found[0],
        ada,
        bo,
        Resolution::AcceptA,
    )
    .unwrap();
    let after = differences(&fixture.project, ada, bo, axis).unwrap();
    assert_eq!(after.len(), 3);
    assert!(
        after
            .iter()
            .all(|d| d.span.start != 0 || d.source_title != "Intervju")
    );
    let bo_codings: Vec<_> = fixture
        .project
        .all_codings()
        .unwrap()
        .into_iter()
        .filter(|c| c.coder_id == bo && c.span.start == 0)
        .collect();
    assert_eq!(bo_codings.len(), 1);
    assert_eq!(bo_codings[0].span, CharSpan::new(0, 5));
    assert_eq!(bo_codings[0].stance.map(|s| s.value()), Some(-2));

    // Keep both on the third: Ada gets Bo's [35, 39).
    resolve(
        &mut fixture.project,
        &after[1],
        ada,
        bo,
        Resolution::KeepBoth,
    )
    .unwrap();
    assert_eq!(
        differences(&fixture.project, ada, bo, axis).unwrap().len(),
        2
    );
    // Accept Bo's on the second: Ada's [19, 33) +1 becomes Bo's [20, 25) +2.
    resolve(
        &mut fixture.project,
        &after[0],
        ada,
        bo,
        Resolution::AcceptB,
    )
    .unwrap();
    let left = differences(&fixture.project, ada, bo, axis).unwrap();
    assert_eq!(left.len(), 1, "only the source Bo never coded");
    let resolved = agreement(&fixture.project, &AgreementOptions::default()).unwrap();
    let axis_row = row(&resolved, "Regler ↔ Skjønn", "paragraph");
    close(axis_row.percent_agreement, 100.0);
    close(axis_row.alpha_interval, 1.0);
    assert!(row(&before, "Regler ↔ Skjønn", "paragraph").percent_agreement < Some(100.0));

    // A stale difference is refused, not applied to codings that changed.
    let error = resolve(
        &mut fixture.project,
        &found[0],
        ada,
        bo,
        Resolution::AcceptB,
    )
    .unwrap_err()
    .to_string();
    assert!(error.contains("changed"), "{error}");

    // Each resolution is one step of undo.
    for _ in 0..3 {
        fixture.project.undo().unwrap();
    }
    assert_eq!(fixture.project.all_codings().unwrap(), all_before);
}

#[test]
fn three_coders_have_a_row_per_pair_and_no_kappa_overall() {
    let mut fixture = two_coders();
    let two = agreement(&fixture.project, &AgreementOptions::default()).unwrap();
    let source = fixture
        .project
        .all_sources()
        .unwrap()
        .into_iter()
        .find(|s| s.title == "Intervju")
        .unwrap()
        .id;
    fixture.project.set_coder("Cy");
    fixture
        .project
        .code(NewCoding::new(source, CharSpan::new(0, 17), fixture.axis))
        .unwrap();
    let three = agreement(&fixture.project, &AgreementOptions::default()).unwrap();
    assert_eq!(three.coders, ["Ada", "Bo", "Cy"]);
    assert_eq!(three.overall[0].kappa, None, "κ is for two coders");
    assert!(three.overall[0].alpha.is_some());
    let names: Vec<&str> = three.by_pair.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names.len(), 3);
    for pair in ["Ada and Bo", "Ada and Cy", "Bo and Cy"] {
        assert!(names.contains(&pair), "{names:?}");
    }
    let ada_bo = three
        .by_pair
        .iter()
        .find(|p| p.name == "Ada and Bo")
        .unwrap();
    assert_eq!(ada_bo.paragraph.alpha, two.overall[0].alpha);
    assert_eq!(ada_bo.paragraph.kappa, two.overall[0].kappa);
    // Percent agreement over three coders is the mean over the pairs.
    let mean = three
        .by_pair
        .iter()
        .map(|p| p.paragraph.percent_agreement.unwrap())
        .sum::<f64>()
        / 3.0;
    close(three.overall[0].percent_agreement, mean);
}

#[test]
fn compare_shows_one_coders_codings_when_asked() {
    use sitat::analysis::{CompareOptions, side_by_side};
    let mut f = common::fixture();
    f.project.set_coder("Ada");
    f.project
        .code(NewCoding::new(f.interview, CharSpan::new(0, 5), f.plain))
        .unwrap();
    f.project.set_coder("Bo");
    f.project
        .code(NewCoding::new(f.interview, CharSpan::new(39, 55), f.plain))
        .unwrap();
    let bo = f.project.coder_by_name("Bo").unwrap().id;
    let everyone = CompareOptions {
        theme_ids: vec![f.plain],
        actor_ids: vec![f.ks],
        ..Default::default()
    };
    let all = side_by_side(&f.project, &everyone).unwrap();
    assert_eq!(all.columns[0].quotes.len(), 2);
    let only_bo = CompareOptions {
        coder_ids: vec![bo],
        ..everyone
    };
    let bo_view = side_by_side(&f.project, &only_bo).unwrap();
    assert_eq!(bo_view.columns[0].quotes.len(), 1);
    assert!(bo_view.columns[0].quotes[0].quote.starts_with("Brukerne"));
}
