//! Transcript files read as `chatstats_core/corpus/inputs.py` reads them, for the runs the
//! native core reads itself: a file whole, within the size limit ([`read_file`]), and a JSON
//! Lines file line by line ([`JsonLines`]): each line within the size limit, blank lines
//! skipped, line `N` named `SOURCE:N` with the default session id `STEM-N`. What the Python
//! reader says more than this one (a file over the limit, not a regular file, saved output, a
//! read that fails) is left to it: a file is declined (the Python reader then reads it), and
//! the JSON Lines reader stops at such a line and says where it is (`Handover`), and the Python
//! reader reads that one line and says where to go on.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use crate::errors::Decline;

/// Why a file is left to the Python reader: it has more to say about it than its bytes.
pub const READ_IN_PYTHON: &str = "read by the Python reader (not a plain file within the limit)";

/// A regular file's bytes, when it holds at most `max_bytes` and (found in a folder, where
/// saved output is skipped) is not saved chatstats output; else a decline.
pub fn read_file(path: &Path, max_bytes: usize, in_directory: bool) -> Result<Vec<u8>, Decline> {
    let declined = |_| Decline::new(READ_IN_PYTHON);
    // a FIFO would block the open: only a regular file is opened here
    let status = std::fs::metadata(path).map_err(declined)?;
    if !status.is_file() || status.len() > max_bytes as u64 {
        return Err(Decline::new(READ_IN_PYTHON));
    }
    let mut data = Vec::with_capacity(status.len() as usize + 1);
    File::open(path)
        .and_then(|file| file.take(max_bytes as u64 + 1).read_to_end(&mut data))
        .map_err(declined)?;
    if data.len() > max_bytes || (in_directory && is_saved_output(&data)) {
        return Err(Decline::new(READ_IN_PYTHON));
    }
    Ok(data)
}

/// Whether bytes are saved `replay --format json/jsonl` output rather than a transcript, as
/// `inputs.is_saved_output` decides.
pub fn is_saved_output(data: &[u8]) -> bool {
    let head = &data[..data.len().min(4096)];
    let skipped = head
        .iter()
        .position(|byte| !b"\xef\xbb\xbf \t\r\n".contains(byte))
        .unwrap_or(head.len());
    let head = &head[skipped..];
    let within =
        |haystack: &[u8], needle: &[u8]| haystack.windows(needle.len()).any(|w| w == needle);
    head.starts_with(b"{")
        && within(&data[..data.len().min(65536)], b"\"kvps\"")
        && !within(&head[..head.len().min(2048)], b"\"events\"")
}

/// Bytes Python's `bytes.strip()` removes: a line of only these is blank.
const PYTHON_WHITESPACE: &[u8] = b" \t\n\r\x0b\x0c";

/// One line to replay: its number (from 1) and its bytes (with its line end).
pub struct Line {
    pub number: usize,
    pub data: Vec<u8>,
}

/// Where the Python reader takes over: the line's first byte and its number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Handover {
    pub offset: u64,
    pub number: usize,
}

/// The lines of one JSON Lines file, from a given line on.
pub struct JsonLines {
    reader: BufReader<File>,
    offset: u64,
    number: usize,
    max_bytes: usize,
    ended: bool,
}

impl JsonLines {
    /// The file at `path`, read from byte `offset`, where line `number` starts.
    pub fn open(path: &Path, offset: u64, number: usize, max_bytes: usize) -> io::Result<Self> {
        let mut file = File::open(path)?;
        file.seek(SeekFrom::Start(offset))?;
        Ok(JsonLines {
            reader: BufReader::with_capacity(1 << 20, file),
            offset,
            number,
            max_bytes,
            ended: false,
        })
    }

    /// Up to `most` lines that are not blank; and, when the reader stopped at a line it leaves
    /// to Python, where that line is. An empty list and no handover: the file is done.
    pub fn next_lines(&mut self, most: usize) -> (Vec<Line>, Option<Handover>) {
        let mut lines = Vec::new();
        while !self.ended && lines.len() < most {
            let here = Handover {
                offset: self.offset,
                number: self.number,
            };
            let mut data = Vec::new();
            let limit = self.max_bytes as u64 + 1;
            match (&mut self.reader).take(limit).read_until(b'\n', &mut data) {
                Ok(0) => self.ended = true,
                Ok(_) if data.len() > self.max_bytes => {
                    self.ended = true;
                    return (lines, Some(here));
                }
                Ok(read) => {
                    self.offset += read as u64;
                    self.number += 1;
                    if !data.iter().all(|byte| PYTHON_WHITESPACE.contains(byte)) {
                        lines.push(Line {
                            number: here.number,
                            data,
                        });
                    }
                }
                Err(_) => {
                    self.ended = true;
                    return (lines, Some(here));
                }
            }
        }
        (lines, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn file_of(text: &[u8]) -> std::path::PathBuf {
        let path = std::env::temp_dir().join(format!("chatstats-stream-{}.jsonl", text.len()));
        File::create(&path).unwrap().write_all(text).unwrap();
        path
    }

    #[test]
    fn saved_output_is_told_from_a_transcript_as_python_tells_it() {
        assert!(is_saved_output(
            b"\xef\xbb\xbf {\"session_id\": 1, \"kvps\": {}}"
        ));
        assert!(!is_saved_output(b"{\"events\": [], \"kvps\": {}}"));
        assert!(!is_saved_output(b"[{\"kvps\": {}}]"));
    }

    #[test]
    fn blank_lines_are_skipped_but_counted() {
        let path = file_of(b"{}\n \t\n{\"a\":1}\n{}");
        let mut lines = JsonLines::open(&path, 0, 1, 100).unwrap();
        let (found, handover) = lines.next_lines(10);
        let numbers: Vec<usize> = found.iter().map(|line| line.number).collect();
        assert_eq!(numbers, vec![1, 3, 4]);
        assert_eq!(found[2].data, b"{}");
        assert_eq!(handover, None);
    }

    #[test]
    fn a_line_over_the_limit_is_handed_over_where_it_starts() {
        let path = file_of(b"{}\n{\"long\": \"xxxxxxxxxxxxxxxxxxxx\"}\n{}\n");
        let mut lines = JsonLines::open(&path, 0, 1, 10).unwrap();
        let (found, handover) = lines.next_lines(10);
        assert_eq!(found.len(), 1);
        assert_eq!(
            handover,
            Some(Handover {
                offset: 3,
                number: 2
            })
        );
    }
}
