//! Import of a .qdc file: no input may panic, hang or exhaust memory.
#![no_main]

#[path = "import_file.rs"]
mod import_file;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    import_file::import_bytes("qdc", data);
});
