//! The document as YAML that every YAML reader reads alike.
//!
//! The serializer writes strings such as `2026-11-25` without quotes, which YAML 1.2 reads as
//! a string but YAML 1.1 readers (PyYAML, which schemathesis and many generators use) read as a
//! date: an example `birth_date` would reach a generated client as a date object, not the
//! string the schema says. Such values are quoted here.

/// `yaml` with every plain scalar that a YAML 1.1 reader would take for a timestamp quoted.
pub fn quote_timestamps(yaml: &str) -> String {
    let mut out = String::with_capacity(yaml.len() + 256);
    // Inside a block scalar (`|`, `|-`, `>`…) lines are text, not values: the indentation of
    // the key that opened it, while lines are indented deeper.
    let mut block_of: Option<usize> = None;
    for line in yaml.lines() {
        let indent = line.len() - line.trim_start().len();
        if let Some(key_indent) = block_of {
            if line.trim().is_empty() || indent > key_indent {
                out.push_str(line);
                out.push('\n');
                continue;
            }
            block_of = None;
        }
        let (head, value) = split_value(line);
        if value.starts_with('|') || value.starts_with('>') {
            block_of = Some(indent);
        }
        out.push_str(head);
        if looks_like_timestamp(value) {
            out.push('\'');
            out.push_str(&value.replace('\'', "''"));
            out.push('\'');
        } else {
            out.push_str(value);
        }
        out.push('\n');
    }
    out
}

/// The line's key or list marker, and its plain value after it (empty when it has none). A list
/// item may itself open a mapping (`- at: 2026-11-25T10:00:00Z`): then the value is the
/// mapping's first value.
fn split_value(line: &str) -> (&str, &str) {
    let mut rest = line.trim_start();
    let mut in_list = false;
    while let Some(item) = rest.strip_prefix("- ") {
        rest = item;
        in_list = true;
    }
    let start = line.len() - rest.len();
    let at = match rest.find(": ") {
        Some(i) => start + i + 2,
        None if in_list => start,
        None => line.len(),
    };
    line.split_at(at)
}

/// YAML 1.1's timestamp form begins with `yyyy-m-d`.
fn looks_like_timestamp(value: &str) -> bool {
    let b = value.as_bytes();
    b.len() >= 8
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5].is_ascii_digit()
        && (b[6] == b'-' || (b[6].is_ascii_digit() && b[7] == b'-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_quoted_and_nothing_else_changes() {
        let yaml = "a:\n  example: 2026-11-25\n  at: 2026-11-25T10:00:00Z\n  list:\n  - 2012-5-1\n  \
                    - at: 2026-11-25T10:00:00Z\n    n: 1\n  - - since: 2026-01-02\n  \
                    - note: |-\n      on: 2026-11-25\n  \
                    version: '2026-11-25'\n  n: 2026\n  text: |-\n    since: 2026-11-25\n    more\n  \
                    after: 2026-01-02\n";
        assert_eq!(
            quote_timestamps(yaml),
            "a:\n  example: '2026-11-25'\n  at: '2026-11-25T10:00:00Z'\n  list:\n  - '2012-5-1'\n  \
             - at: '2026-11-25T10:00:00Z'\n    n: 1\n  - - since: '2026-01-02'\n  \
             - note: |-\n      on: 2026-11-25\n  \
             version: '2026-11-25'\n  n: 2026\n  text: |-\n    since: 2026-11-25\n    more\n  \
             after: '2026-01-02'\n"
        );
    }
}
