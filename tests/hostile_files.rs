//! Files made to crash or exhaust an importer are refused with a message, within a modest
//! amount of memory: deeply nested XML in a .docx and a .qdpx, a .docx whose ZIP header lies
//! about its sizes, a PDF that unpacks to far more than it holds, a PDF with millions of
//! operations. Each file is made here by a small generator. File names with line breaks and
//! bidirectional overrides become clean titles.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::Command;

use flate2::{Compress, Compression, FlushCompress};

/// Peak memory a refused import may take, in MB (the debug build of `sitat` on a small project).
const PEAK_LIMIT_MB: u64 = 150;

/// Imports `file` into a new project through the `sitat` binary under `/usr/bin/time`, expects
/// it refused with `message`, and returns the peak memory in MB.
fn refused_with_peak(file: &Path, message: &str) -> u64 {
    let tmp = common::temp_path("hostile.sitat");
    sitat::Project::create(&tmp.path).unwrap();
    let out = Command::new("/usr/bin/time")
        .args(["-f", "peak-kb %M"])
        .arg(env!("CARGO_BIN_EXE_sitat"))
        .arg("import")
        .arg(&tmp.path)
        .arg(file)
        .output()
        .expect("/usr/bin/time runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{} was imported", file.display());
    assert!(stderr.contains(message), "expected {message:?} in {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!stderr.contains("overflow"), "{stderr}");
    let peak_kb: u64 = stderr
        .lines()
        .find_map(|l| l.strip_prefix("peak-kb "))
        .and_then(|v| v.trim().parse().ok())
        .expect("peak memory reported");
    let peak_mb = peak_kb / 1024;
    println!(
        "{}: refused, peak {peak_mb} MB ({} bytes on disk)",
        file.file_name().unwrap().to_string_lossy(),
        std::fs::metadata(file).unwrap().len()
    );
    assert!(peak_mb < PEAK_LIMIT_MB, "peak {peak_mb} MB");
    let project = sitat::Project::open(&tmp.path).unwrap();
    assert!(project.sources().unwrap().is_empty());
    peak_mb
}

fn write_zip(path: &Path, entries: &[(&str, &[u8])]) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        zip.start_file(*name, options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
}

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

#[test]
fn a_docx_with_30000_nested_runs_is_refused() {
    let tmp = common::temp_path("nested.docx");
    let depth = 30_000;
    let mut xml = format!("<w:document xmlns:w=\"{W}\"><w:body><w:p>");
    xml.push_str(&"<w:r>".repeat(depth));
    xml.push_str("<w:t>dypt</w:t>");
    xml.push_str(&"</w:r>".repeat(depth));
    xml.push_str("</w:p></w:body></w:document>");
    write_zip(&tmp.path, &[("word/document.xml", xml.as_bytes())]);
    assert!(std::fs::metadata(&tmp.path).unwrap().len() < 4_000);
    refused_with_peak(&tmp.path, "nests XML elements more than");
}

#[test]
fn a_qdpx_with_100000_nested_elements_is_refused() {
    let tmp = common::temp_path("nested.qdpx");
    let depth = 100_000;
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><Project xmlns=\"urn:QDA-XML:project:1.0\" name=\"x\"><CodeBook><Codes>",
    );
    for i in 0..depth {
        xml.push_str(&format!(
            "<Code guid=\"00000000-0000-0000-0000-{i:012}\" name=\"c{i}\" isCodable=\"true\">"
        ));
    }
    xml.push_str(&"</Code>".repeat(depth));
    xml.push_str("</Codes></CodeBook></Project>");
    write_zip(&tmp.path, &[("project.qde", xml.as_bytes())]);
    refused_with_peak(&tmp.path, "nests XML elements more than");
}

/// Raw deflate data for `prefix`, then `chunk` repeated `times`, then `suffix`, made without
/// compressing the whole: each part ends on a byte boundary with no back-references across it.
fn deflate_repeated(
    prefix: &[u8],
    chunk: &[u8],
    times: usize,
    suffix: &[u8],
    zlib: bool,
) -> Vec<u8> {
    let part = |input: &[u8], flush: FlushCompress| {
        let mut c = Compress::new(Compression::best(), false);
        let mut out = Vec::with_capacity(input.len() / 100 + 1024);
        c.compress_vec(input, &mut out, flush).unwrap();
        while c.total_in() < input.len() as u64 || matches!(flush, FlushCompress::Finish) {
            out.reserve(64 * 1024);
            let before = c.total_out();
            let status = c
                .compress_vec(&input[c.total_in() as usize..], &mut out, flush)
                .unwrap();
            if status == flate2::Status::StreamEnd || c.total_out() == before {
                break;
            }
        }
        out
    };
    let mut data = Vec::new();
    if zlib {
        data.extend_from_slice(&[0x78, 0x01]);
    }
    data.extend(part(prefix, FlushCompress::Full));
    let chunk = part(chunk, FlushCompress::Full);
    for _ in 0..times {
        data.extend_from_slice(&chunk);
    }
    data.extend(part(suffix, FlushCompress::Finish));
    data
}

/// A ZIP of one deflated entry whose headers declare `packed` and `size` bytes, whatever the
/// data holds.
fn lying_zip(name: &str, data: &[u8], packed: u32, size: u32) -> Vec<u8> {
    let mut zip = Vec::new();
    let u16le = |v: u16| v.to_le_bytes();
    let u32le = |v: u32| v.to_le_bytes();
    zip.extend(u32le(0x0403_4b50));
    for v in [20u16, 0, 8, 0, 0] {
        zip.extend(u16le(v));
    }
    zip.extend(u32le(0)); // crc
    zip.extend(u32le(packed));
    zip.extend(u32le(size));
    zip.extend(u16le(name.len() as u16));
    zip.extend(u16le(0));
    zip.extend(name.as_bytes());
    zip.extend_from_slice(data);
    let directory = zip.len() as u32;
    zip.extend(u32le(0x0201_4b50));
    for v in [20u16, 20, 0, 8, 0, 0] {
        zip.extend(u16le(v));
    }
    zip.extend(u32le(0));
    zip.extend(u32le(packed));
    zip.extend(u32le(size));
    for v in [name.len() as u16, 0, 0, 0, 0] {
        zip.extend(u16le(v));
    }
    zip.extend(u32le(0)); // external attributes
    zip.extend(u32le(0)); // local header offset
    zip.extend(name.as_bytes());
    let directory_len = zip.len() as u32 - directory;
    zip.extend(u32le(0x0605_4b50));
    for v in [0u16, 0, 1, 1] {
        zip.extend(u16le(v));
    }
    zip.extend(u32le(directory_len));
    zip.extend(u32le(directory));
    zip.extend(u16le(0));
    zip
}

#[test]
fn a_docx_whose_header_lies_about_its_sizes_is_refused() {
    let tmp = common::temp_path("bomb.docx");
    let prefix = format!("<w:document xmlns:w=\"{W}\"><w:body><w:p><w:r><w:t>");
    let chunk = vec![b'a'; 1024 * 1024];
    let times = 300;
    let data = deflate_repeated(
        prefix.as_bytes(),
        &chunk,
        times,
        b"</w:t></w:r></w:p></w:body></w:document>",
        false,
    );
    let size = (times * chunk.len()) as u32;
    // The packed size claimed is 50 times the real one, so the ratio looks like a document's.
    let zip = lying_zip("word/document.xml", &data, size / 60, size);
    std::fs::write(&tmp.path, &zip).unwrap();
    assert!(zip.len() < 400_000, "{} bytes", zip.len());
    refused_with_peak(&tmp.path, "claims");
}

/// A one-page PDF whose content stream is `stream` (already deflated with a zlib header).
fn pdf_with_content(stream: &[u8]) -> Vec<u8> {
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    let objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_vec(),
        [
            format!("<< /Length {} /Filter /FlateDecode >>\nstream\n", stream.len()).into_bytes(),
            stream.to_vec(),
            b"\nendstream".to_vec(),
        ]
        .concat(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
    ];
    for (i, body) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend(format!("{} 0 obj\n", i + 1).into_bytes());
        pdf.extend_from_slice(body);
        pdf.extend(b"\nendobj\n");
    }
    let xref = pdf.len();
    pdf.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).into_bytes());
    for offset in offsets {
        pdf.extend(format!("{offset:010} 00000 n \n").into_bytes());
    }
    pdf.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .into_bytes(),
    );
    pdf
}

#[test]
fn a_pdf_that_unpacks_to_a_gigabyte_is_refused() {
    let tmp = common::temp_path("bomb.pdf");
    let chunk = b" ".repeat(1024 * 1024);
    let stream = deflate_repeated(
        b"BT /F1 12 Tf 72 712 Td (Hei) Tj ET",
        &chunk,
        1024,
        b"",
        true,
    );
    std::fs::write(&tmp.path, pdf_with_content(&stream)).unwrap();
    refused_with_peak(&tmp.path, "unpacks its pages to more than");
}

#[test]
fn a_pdf_with_eight_million_operations_is_refused() {
    let tmp = common::temp_path("operations.pdf");
    let chunk = b"(a) Tj\n".repeat(128 * 1024);
    let stream = deflate_repeated(b"BT /F1 12 Tf 72 712 Td ", &chunk, 64, b"ET", true);
    let pdf = pdf_with_content(&stream);
    std::fs::write(&tmp.path, &pdf).unwrap();
    refused_with_peak(&tmp.path, "million operations");
}

#[test]
fn file_names_with_line_breaks_and_bidi_overrides_become_clean_titles() {
    let tmp = common::temp_path("titles.sitat");
    let mut project = sitat::Project::create(&tmp.path).unwrap();
    let file = tmp.dir.path().join("intervju\nKS\u{202E}txt.gnp.txt");
    std::fs::write(&file, "Tillit i førstelinja.").unwrap();
    sitat::import::import_paths(&mut project, &[file], &Default::default()).unwrap();
    let titles: Vec<String> = project
        .sources()
        .unwrap()
        .into_iter()
        .map(|s| s.title)
        .collect();
    assert_eq!(titles, vec!["intervju KStxt.gnp".to_string()]);
}

/// Found by fuzzing (fuzz/regressions/import_pdf/): a page that is its own /Parent made the text
/// extractor recurse until the stack overflowed.
#[test]
fn a_pdf_whose_page_is_its_own_parent_is_refused() {
    let tmp = common::temp_path("loop.pdf");
    std::fs::write(
        &tmp.path,
        include_bytes!(
            "../fuzz/regressions/import_pdf/timeout-b411723e15fc797a3b8ea741a31d40285750f96b"
        ),
    )
    .unwrap();
    refused_with_peak(&tmp.path, "loops back on itself");
}
