//! Stable identities of a project's entities for interchange: UUID v5 of `<kind>:<id>` in a
//! namespace kept per project in `project_info` (`refi_guid_namespace`, made at creation), so
//! two exports of one project give the same GUIDs, and a project merged or imported back
//! matches its themes by them. The namespace belongs to the project, not to any one format.

use uuid::Uuid;

use super::Project;
use crate::error::Result;

/// The `project_info` key of the per-project GUID namespace.
pub const GUID_NAMESPACE_KEY: &str = "refi_guid_namespace";
/// Sitat's own root namespace, from which project namespaces are derived.
const SITAT_ROOT: Uuid = Uuid::from_u128(0x5a1c_7a00_6b2e_4f1d_9c3a_5e8d_7f10_2b64);

/// A fresh namespace for a new project, from something unique to its creation.
pub(super) fn new_guid_namespace(seed: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let unique = format!("{seed}:{nanos}:{}", std::process::id());
    Uuid::new_v5(&SITAT_ROOT, unique.as_bytes()).to_string()
}

/// Stable GUIDs of a project's entities, in lower case as NVivo writes them (the standard
/// allows both cases; some readers accept only lower case).
#[derive(Debug, Clone, Copy)]
pub struct Guids(pub Uuid);

impl Guids {
    pub fn of(&self, kind: &str, id: i64) -> String {
        Uuid::new_v5(&self.0, format!("{kind}:{id}").as_bytes())
            .hyphenated()
            .to_string()
    }
    pub fn named(&self, kind: &str, name: &str) -> String {
        Uuid::new_v5(&self.0, format!("{kind}:{name}").as_bytes())
            .hyphenated()
            .to_string()
    }
}

impl Project {
    /// The project's GUIDs: in the stored namespace, else one derived from its creation time
    /// (so a project made before namespaces were stored still gets stable GUIDs).
    pub fn guids(&self) -> Result<Guids> {
        if let Some(stored) = self.info(GUID_NAMESPACE_KEY)?
            && let Ok(uuid) = Uuid::parse_str(stored.trim())
        {
            return Ok(Guids(uuid));
        }
        let created = self.info("created_at")?.unwrap_or_default();
        Ok(Guids(Uuid::new_v5(
            &SITAT_ROOT,
            format!("project created at {created}").as_bytes(),
        )))
    }
}
