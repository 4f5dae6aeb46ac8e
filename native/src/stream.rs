//! A JSON Lines file read as `chatstats_core/corpus/inputs.py` reads one: line by line, each
//! line within the size limit, blank lines skipped, line `N` named `SOURCE:N` with the default
//! session id `STEM-N`. What that reader says more than this one (a line over the limit, a
//! read that fails) is left to it: the reader stops at that line and says where it is
//! (`Handover`), and the Python reader reads that one line and says where to go on.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::Path;

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
