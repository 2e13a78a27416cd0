#!/usr/bin/env bash
# Runs each cargo-fuzz target of fuzz/ for a fixed budget (not part of CI's default run).
#
#   cargo install cargo-fuzz          # once; needs the nightly toolchain
#   scripts/fuzz.sh [SECONDS_PER_TARGET]   (default 60)
#
# Seeds come from the demo project (its .qdpx and .qdc exports, a transcript) and from small
# hand-made .docx, .odt and .pdf files. A crash is saved under fuzz/artifacts/TARGET/; turn it
# into a regression test in tests/fuzz_regressions.rs, fix it, and run again.
set -euo pipefail
cd "$(dirname "$0")/.."
budget="${1:-60}"
targets=(query_parse import_transcript import_docx import_odt import_qdpx import_qdc import_pdf)

seeds=fuzz/corpus
mkdir -p "$seeds"
for t in "${targets[@]}"; do mkdir -p "$seeds/$t"; done
if [ ! -e "$seeds/.seeded" ]; then
    cargo build --quiet --no-default-features --bin sitat
    tmp=$(mktemp -d)
    target/debug/sitat demo "$tmp/demo.sitat" >/dev/null
    target/debug/sitat export "$tmp/demo.sitat" --format qdpx "$seeds/import_qdpx/demo.qdpx" >/dev/null
    target/debug/sitat export "$tmp/demo.sitat" --format qdc "$seeds/import_qdc/demo.qdc" >/dev/null
    printf 'I: Hva tenker du om tillit?\r\nKari: Vi må få gå på skjønn 😀 i førstelinja.\n[00:12:03] Ola: Ja.\n' \
        > "$seeds/import_transcript/turns.txt"
    printf 'skjønn "tillit til" brukermed* actor:KS -NAV tillit~ NEAR/3 OR theme:"Regler"' \
        > "$seeds/query_parse/query.txt"
    python3 - "$seeds" <<'PY'
import sys, zipfile
seeds = sys.argv[1]
w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
with zipfile.ZipFile(f"{seeds}/import_docx/small.docx", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("word/document.xml", f'<w:document xmlns:w="{w}"><w:body><w:p><w:r><w:t>Tillit æøå</w:t></w:r></w:p></w:body></w:document>')
with zipfile.ZipFile(f"{seeds}/import_odt/small.odt", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("mimetype", "application/vnd.oasis.opendocument.text")
    z.writestr("content.xml", '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text><text:p>Tillit æøå</text:p></office:text></office:body></office:document-content>')
content = b"BT /F1 12 Tf 72 712 Td (Tillit i forstelinja) Tj ET"
objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
pdf, offsets = b"%PDF-1.4\n", []
for i, o in enumerate(objs):
    offsets.append(len(pdf)); pdf += b"%d 0 obj\n" % (i + 1) + o + b"\nendobj\n"
xref = len(pdf)
pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
open(f"{seeds}/import_pdf/small.pdf", "wb").write(pdf)
PY
    rm -rf "$tmp"
    touch "$seeds/.seeded"
fi

cd fuzz
for t in "${targets[@]}"; do
    echo "== $t: ${budget}s"
    cargo +nightly fuzz run --sanitizer none "$t" "corpus/$t" -- \
        -max_total_time="$budget" -rss_limit_mb=2048 -timeout=20 -print_final_stats=1 2>&1 \
        | grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb|==|SUMMARY|Done)|panicked|crash-" || true
done
