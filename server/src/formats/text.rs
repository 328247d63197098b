//! Text encodings of tabular files: a byte-order mark decides; otherwise valid
//! UTF-8 is UTF-8 and anything else is read as GB18030 (a superset of GBK and
//! GB2312, which Chinese office software writes). `--encoding` forces one.

use encoding_rs::{Encoding, GB18030, UTF_8};

/// The encoding a label names: WHATWG labels (`utf-8`, `gbk`, `gb18030`, …) and
/// the Windows code page numbers a Shapefile's `.cpg` may hold (`936`, `65001`).
pub fn by_label(label: &str) -> Option<&'static Encoding> {
    let label = label.trim().trim_start_matches('\u{feff}').trim();
    let named = match label.to_ascii_lowercase().as_str() {
        "936" | "cp936" | "ansi 936" => "gbk",
        "54936" => "gb18030",
        "65001" | "utf8" => "utf-8",
        other => return Encoding::for_label(other.as_bytes()),
    };
    Encoding::for_label(named.as_bytes())
}

/// The encoding of `bytes`, unless `forced`, and the text without a byte-order mark.
pub fn decode(bytes: &[u8], forced: Option<&'static Encoding>) -> (String, &'static Encoding) {
    let encoding = forced.unwrap_or_else(|| detect(bytes));
    let (text, used, _) = encoding.decode(bytes);
    (text.into_owned(), used)
}

fn detect(bytes: &[u8]) -> &'static Encoding {
    if let Some((encoding, _)) = Encoding::for_bom(bytes) {
        return encoding;
    }
    if std::str::from_utf8(bytes).is_ok() {
        UTF_8
    } else {
        GB18030
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_bom_utf8_and_gbk() {
        let text = "名称,经度\n芝罘红港驿站,121.4\n";
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        assert_eq!(decode(&gbk, None), (text.to_owned(), GB18030));
        assert_eq!(decode(text.as_bytes(), None), (text.to_owned(), UTF_8));
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(text.as_bytes());
        assert_eq!(decode(&bom, None).0, text);
        let mut le = vec![0xFF, 0xFE];
        le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(decode(&le, None).0, text);
        // Forcing GBK on UTF-8 bytes garbles them, as asked.
        assert_ne!(decode(text.as_bytes(), by_label("gbk")).0, text);
    }

    #[test]
    fn labels_and_code_pages() {
        assert_eq!(by_label("GBK"), Some(encoding_rs::GBK));
        assert_eq!(by_label("936"), Some(encoding_rs::GBK));
        assert_eq!(by_label(" UTF-8\n"), Some(UTF_8));
        assert_eq!(by_label("gb18030"), Some(GB18030));
        assert_eq!(by_label("klingon"), None);
    }
}
