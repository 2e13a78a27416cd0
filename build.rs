//! Embeds the demo corpus (corpus/) in the binary, so `sitat` can build the demo project
//! anywhere: writes a table of (path relative to corpus/, contents) to OUT_DIR.

use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("json" | "txt" | "md")
        ) {
            out.push(path);
        }
    }
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    collect(&root, &mut files);
    files.sort();
    // An empty table would build a binary whose demo fails only at run time: stop here instead.
    assert!(
        root.join("manifest.json").is_file(),
        "the demo corpus is missing: {} has no manifest.json",
        root.display()
    );
    let mut table = String::from(
        "/// Every file of corpus/, as (path relative to corpus/, text).\npub static DEMO_FILES: &[(&str, &str)] = &[\n",
    );
    for file in &files {
        let relative = file.strip_prefix(&root).expect("inside corpus/");
        let relative = relative.to_string_lossy().replace('\\', "/");
        table.push_str(&format!(
            "    ({relative:?}, include_str!({:?})),\n",
            file.display().to_string()
        ));
    }
    table.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR")).join("demo_corpus.rs");
    std::fs::write(out, table).expect("write demo_corpus.rs");
}
