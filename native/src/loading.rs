//! A transcript's bytes loaded as `chatstats_core/transcript/loading` loads them (gzip or not,
//! JSON or XML, within the reading limits), or declined.

use crate::errors::Decline;
use crate::{load_json, load_xml, model};

/// The reading limits that decide whether a session is plainly within bounds.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub max_bytes: usize,
    pub max_events: usize,
    pub max_depth: usize,
    pub max_attribute: usize,
}

impl From<(usize, usize, usize, usize)> for Limits {
    /// Python's `Limits`: max_bytes, max_events, max_depth, max_attribute.
    fn from(
        (max_bytes, max_events, max_depth, max_attribute): (usize, usize, usize, usize),
    ) -> Self {
        Limits {
            max_bytes,
            max_events,
            max_depth,
            max_attribute,
        }
    }
}

/// Load one transcript as the Python loader would, or decline it.
pub fn load(
    data: &[u8],
    source: &str,
    default_session_id: &str,
    limits: Limits,
) -> Result<model::Transcript, Decline> {
    let unpacked;
    let data = if data.starts_with(GZIP_MAGIC) || source.ends_with(".gz") {
        unpacked = gunzip(data, limits.max_bytes)?;
        &unpacked[..]
    } else {
        data
    };
    if data.len() > limits.max_bytes {
        return Err(Decline::new("over the size limit"));
    }
    let unmarked = data.strip_prefix(b"\xef\xbb\xbf").unwrap_or(data);
    let start = unmarked
        .iter()
        .position(|b| !b" \t\r\n\x0b\x0c".contains(b));
    match start.map(|i| unmarked[i]) {
        Some(b'{') => load_json::load(unmarked, source, default_session_id, limits.max_events),
        Some(b'<') => load_xml::load(data, limits),
        _ => Err(Decline::new("neither JSON nor XML")),
    }
}

const GZIP_MAGIC: &[u8] = b"\x1f\x8b";

/// A gzip stream's content, inflated at most one byte past the size limit (a bomb stops
/// there, and the Python engine then says it is too large); anything not plainly gzip, or
/// broken, is declined.
fn gunzip(data: &[u8], max_bytes: usize) -> Result<Vec<u8>, Decline> {
    use std::io::Read;

    if !data.starts_with(GZIP_MAGIC) {
        return Err(Decline::new("named .gz, not gzip"));
    }
    let mut unpacked = Vec::new();
    flate2::read::MultiGzDecoder::new(data)
        .take(max_bytes as u64 + 1)
        .read_to_end(&mut unpacked)
        .map_err(|_| Decline::new("broken gzip data"))?;
    Ok(unpacked)
}
