//! ZIP containers (.docx, .odt, .qdpx) opened defensively: names that climb out of the archive
//! (zip slip), absurd sizes and compression ratios (zip bombs) refuse the whole file before any
//! entry is read, and every read is capped again in case the header lies.

use std::io::{Cursor, Read, Seek};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// At most this many entries in an archive.
pub const MAX_ARCHIVE_ENTRIES: usize = 20_000;
/// At most this many bytes unpacked from one entry that Sitat reads (XML or text).
pub const MAX_ENTRY_BYTES: u64 = 256 * 1024 * 1024;
/// At most this many bytes unpacked from all entries together (as the archive declares them).
pub const MAX_ARCHIVE_UNPACKED_BYTES: u64 = 2 * 1024 * 1024 * 1024;
/// At most this many bytes actually unpacked from one archive's entries together.
pub const MAX_ARCHIVE_INFLATED_BYTES: u64 = 512 * 1024 * 1024;
/// An entry larger than 1 MiB that unpacks to more than this many times its packed size is
/// taken for a zip bomb (text and XML compress 5–20×; Apache POI uses the same limit).
pub const MAX_COMPRESSION_RATIO: u64 = 100;

/// What an archive is read from: bytes in memory or a file on disk.
pub trait ReadSeek: Read + Seek {}
impl<T: Read + Seek> ReadSeek for T {}

pub struct SafeArchive {
    path: PathBuf,
    zip: zip::ZipArchive<Box<dyn ReadSeek>>,
    /// Entry names as stored, in archive order.
    names: Vec<String>,
    /// Bytes actually unpacked by [`SafeArchive::read`] so far, whatever the headers say.
    inflated: u64,
}

/// True when `name` would land outside the folder it is unpacked into.
pub fn is_unsafe_name(name: &str) -> bool {
    let name = name.replace('\\', "/");
    name.starts_with('/')
        || name.split('/').any(|part| part == "..")
        || name.as_bytes().get(1) == Some(&b':')
        || name.contains('\0')
}

impl SafeArchive {
    /// Opens an archive held in memory; `what` names the format in messages (".docx file").
    pub fn open(path: &Path, bytes: Vec<u8>, what: &str) -> Result<SafeArchive> {
        let starts_pk = bytes.starts_with(b"PK");
        Self::open_reader(path, Box::new(Cursor::new(bytes)), starts_pk, what)
    }

    /// Opens an archive file without reading it whole (a .qdpx may carry video).
    pub fn open_file(path: &Path, what: &str) -> Result<SafeArchive> {
        let mut file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        let mut magic = [0u8; 2];
        let starts_pk = file.read_exact(&mut magic).is_ok() && &magic == b"PK";
        file.rewind().map_err(|e| Error::io(path, e))?;
        Self::open_reader(
            path,
            Box::new(std::io::BufReader::new(file)),
            starts_pk,
            what,
        )
    }

    fn open_reader(
        path: &Path,
        reader: Box<dyn ReadSeek>,
        starts_pk: bool,
        what: &str,
    ) -> Result<SafeArchive> {
        if !starts_pk {
            return Err(Error::bad_input(
                path,
                format!(
                    "is not a {what}: it is not a ZIP container (the file may be misnamed or damaged)"
                ),
            ));
        }
        let zip = zip::ZipArchive::new(reader).map_err(|e| {
            // A ZIP's directory is at its end: a file cut short has none.
            let text = e.to_string();
            if text.contains("EOCD")
                || text.contains("end of central directory")
                || text.contains("EOF")
            {
                Error::bad_input(
                    path,
                    format!("ends early: it may be incomplete — download or copy the {what} again"),
                )
            } else {
                Error::bad_input(path, format!("is not a readable {what}: {e}"))
            }
        })?;
        let mut archive = SafeArchive {
            path: path.to_path_buf(),
            zip,
            names: Vec::new(),
            inflated: 0,
        };
        archive.check()?;
        Ok(archive)
    }

    fn check(&mut self) -> Result<()> {
        let path = self.path.clone();
        if self.zip.len() > MAX_ARCHIVE_ENTRIES {
            return Err(Error::bad_input(
                &path,
                format!(
                    "holds {} entries; Sitat refuses archives with more than {MAX_ARCHIVE_ENTRIES} (a zip bomb?)",
                    self.zip.len()
                ),
            ));
        }
        let room = self.room_of_entries();
        let mut total: u64 = 0;
        for i in 0..self.zip.len() {
            let entry = self
                .zip
                .by_index_raw(i)
                .map_err(|e| Error::bad_input(&path, format!("has a damaged entry #{i}: {e}")))?;
            let name = entry
                .name()
                .map(|n| n.into_owned())
                .unwrap_or_else(|_| String::from_utf8_lossy(entry.name_raw()).into_owned());
            if is_unsafe_name(&name) {
                return Err(Error::bad_input(
                    &path,
                    format!(
                        "holds an entry named {name:?} that points outside the archive (a zip-slip attack); refused"
                    ),
                ));
            }
            let size = entry.size();
            // The header's packed size is only a claim: the entry cannot hold more bytes than
            // lie between its header and the next one.
            let room = room.get(&entry.header_start()).copied().unwrap_or(0);
            if entry.compressed_size() > room {
                return Err(Error::bad_input(
                    &path,
                    format!(
                        "entry {name:?} claims {} packed bytes but the archive has room for {room} there: the file is damaged or a zip bomb; refused",
                        entry.compressed_size()
                    ),
                ));
            }
            let packed = entry.compressed_size().max(1);
            if size > MAX_ENTRY_BYTES && !is_media(&name) {
                return Err(Error::bad_input(
                    &path,
                    format!(
                        "entry {name:?} unpacks to {} MB; Sitat reads entries up to {} MB",
                        size / (1024 * 1024),
                        MAX_ENTRY_BYTES / (1024 * 1024)
                    ),
                ));
            }
            if size > 1024 * 1024 && size / packed > MAX_COMPRESSION_RATIO {
                return Err(Error::bad_input(
                    &path,
                    format!(
                        "entry {name:?} unpacks {}× (to {} MB): that is a zip bomb, not a document; refused",
                        size / packed,
                        size / (1024 * 1024)
                    ),
                ));
            }
            total = total.saturating_add(size);
            self.names.push(name);
        }
        if total > MAX_ARCHIVE_UNPACKED_BYTES {
            return Err(Error::bad_input(
                &path,
                format!(
                    "unpacks to {} MB in all; Sitat refuses archives over {} MB",
                    total / (1024 * 1024),
                    MAX_ARCHIVE_UNPACKED_BYTES / (1024 * 1024)
                ),
            ));
        }
        Ok(())
    }

    /// For each entry's header offset, the bytes from it to the next header (or to the central
    /// directory): all the room its packed data can have.
    fn room_of_entries(&mut self) -> std::collections::HashMap<u64, u64> {
        let mut starts: Vec<u64> = (0..self.zip.len())
            .filter_map(|i| self.zip.by_index_raw(i).ok().map(|e| e.header_start()))
            .collect();
        starts.sort_unstable();
        starts.dedup();
        let end = self.zip.central_directory_start();
        starts
            .iter()
            .enumerate()
            .map(|(i, &start)| {
                let next = starts.get(i + 1).copied().unwrap_or(end);
                (start, next.saturating_sub(start))
            })
            .collect()
    }

    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The stored name matching `wanted` case-insensitively (and with `\` read as `/`).
    pub fn find(&self, wanted: &str) -> Option<&str> {
        let wanted = wanted.replace('\\', "/").to_lowercase();
        self.names
            .iter()
            .find(|n| n.replace('\\', "/").to_lowercase() == wanted)
            .map(String::as_str)
    }

    /// Reads one entry, at most [`MAX_ENTRY_BYTES`], whatever its header says.
    pub fn read(&mut self, name: &str) -> Result<Vec<u8>> {
        let path = self.path.clone();
        let mut entry = self
            .zip
            .by_name(name)
            .map_err(|e| Error::bad_input(&path, format!("cannot read {name:?}: {e}")))?;
        let declared = entry.size();
        let mut out = Vec::with_capacity(declared.min(MAX_ENTRY_BYTES) as usize);
        (&mut entry)
            .take(MAX_ENTRY_BYTES.min(declared.saturating_add(1)))
            .read_to_end(&mut out)
            .map_err(|e| Error::bad_input(&path, format!("cannot unpack {name:?}: {e}")))?;
        self.inflated += out.len() as u64;
        if self.inflated > MAX_ARCHIVE_INFLATED_BYTES {
            return Err(Error::bad_input(
                &path,
                format!(
                    "unpacks to more than {} MB of text and markup; Sitat refuses it (a zip bomb?)",
                    MAX_ARCHIVE_INFLATED_BYTES / (1024 * 1024)
                ),
            ));
        }
        if out.len() as u64 > declared {
            return Err(Error::bad_input(
                &path,
                format!(
                    "entry {name:?} unpacks to more than its header says (a zip bomb?); refused"
                ),
            ));
        }
        Ok(out)
    }
}

/// Audio, video and pictures may be large; Sitat never unpacks them.
fn is_media(name: &str) -> bool {
    let lower = name.to_lowercase();
    [
        ".mp3", ".wav", ".m4a", ".mp4", ".mov", ".avi", ".wmv", ".ogg", ".jpg", ".jpeg", ".png",
        ".tif", ".tiff", ".pdf",
    ]
    .iter()
    .any(|ext| lower.ends_with(ext))
}

#[cfg(test)]
mod tests {
    #[test]
    fn unsafe_names() {
        for bad in ["../x", "a/../../x", "/etc/passwd", "C:/x", "a\\..\\x"] {
            assert!(super::is_unsafe_name(bad), "{bad}");
        }
        for good in ["sources/a.txt", "project.qde", "a..b/c"] {
            assert!(!super::is_unsafe_name(good), "{good}");
        }
    }
}
