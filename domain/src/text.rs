//! Text as the register keeps it: composed (NFC), so that the same name sent decomposed or
//! composed is stored, compared and searched alike.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::is_nfc_quick;

/// `text` in Unicode Normalization Form C; borrowed work is skipped for text already in it.
pub fn nfc(text: &str) -> String {
    match is_nfc_quick(text.chars()) {
        unicode_normalization::IsNormalized::Yes => text.to_owned(),
        _ => text.nfc().collect(),
    }
}

/// Characters that are invisible or change how surrounding text is shown: controls (C0, DEL,
/// C1), bidirectional embeddings, overrides, isolates and marks, zero-width characters, the
/// byte-order mark, and other format characters. Refused in names, where they serve only to
/// disguise one.
pub fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{061C}'
                | '\u{180E}'
                | '\u{200B}'..='\u{200F}'
                | '\u{2028}'..='\u{202E}'
                | '\u{2060}'..='\u{206F}'
                | '\u{FEFF}'
                | '\u{FFF9}'..='\u{FFFB}'
        )
}

/// Control characters that no text field of the API accepts: every control character but tab,
/// line feed and carriage return (which free text such as a survey answer may hold). NUL in
/// particular is refused because PostgreSQL cannot store it and SQLite would.
pub fn is_forbidden_in_text(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn composes_decomposed_text_and_keeps_composed_text() {
        assert_eq!(nfc("A\u{308}ija\u{308}la\u{308}"), "Äijälä");
        assert_eq!(nfc("Äijälä"), "Äijälä");
        assert_eq!(nfc("A\u{30a}sa"), "Åsa");
    }

    #[test]
    fn hidden_characters_are_recognised() {
        for c in [
            '\u{0}', '\n', '\u{7f}', '\u{85}', '\u{202e}', '\u{2066}', '\u{200b}', '\u{feff}',
        ] {
            assert!(is_hidden(c), "{c:?}");
        }
        for c in ['a', 'ä', 'Å', ' ', '-', '\''] {
            assert!(!is_hidden(c), "{c:?}");
        }
    }

    #[test]
    fn free_text_keeps_line_breaks_but_not_nul() {
        assert!(is_forbidden_in_text('\u{0}'));
        assert!(is_forbidden_in_text('\u{1b}'));
        assert!(!is_forbidden_in_text('\n'));
        assert!(!is_forbidden_in_text('\t'));
    }
}
