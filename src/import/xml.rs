//! A small, lenient XML tree for the importers (.docx, .odt, REFI-QDA): element names without
//! their namespace prefix, attribute values unescaped, text with character references resolved.
//! Unknown entities are kept as written; DTDs are ignored, so nothing expands.

use quick_xml::XmlVersion;
use quick_xml::events::Event;
use quick_xml::reader::Reader;

#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Element(Element),
    Text(String),
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Element {
    /// The local name, e.g. `p` for `<w:p>`.
    pub name: String,
    /// Local attribute names with their values.
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Node>,
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Child elements.
    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    /// Child elements named `name` (case-insensitive).
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.elements()
            .filter(move |e| e.name.eq_ignore_ascii_case(name))
    }

    pub fn first(&self, name: &str) -> Option<&Element> {
        self.elements().find(|e| e.name.eq_ignore_ascii_case(name))
    }

    /// All text below this element, in document order.
    pub fn text(&self) -> String {
        let mut out = String::new();
        self.collect_text(&mut out);
        out
    }

    fn collect_text(&self, out: &mut String) {
        for child in &self.children {
            match child {
                Node::Text(t) => out.push_str(t),
                Node::Element(e) => e.collect_text(out),
            }
        }
    }
}

fn local(name: &[u8]) -> String {
    let name = match name.iter().rposition(|&b| b == b':') {
        Some(i) => &name[i + 1..],
        None => name,
    };
    String::from_utf8_lossy(name).into_owned()
}

fn entity(name: &str) -> Option<char> {
    match name {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "apos" => Some('\''),
        "quot" => Some('"'),
        _ => None,
    }
}

/// Elements nest at most this deep. Real documents stay far below it (a table in a table in a
/// .docx adds six levels, a code in a REFI-QDA codebook one); a deeper file is damaged or made
/// to exhaust the stack of whatever walks its tree.
pub const MAX_XML_DEPTH: usize = 256;

/// Parses a whole document and returns its root element.
pub fn parse(bytes: &[u8]) -> Result<Element, String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = Reader::from_reader(bytes);
    reader.config_mut().trim_text(false);
    let mut stack: Vec<Element> = vec![Element::default()];
    let mut buf = Vec::new();
    let start = |e: &quick_xml::events::BytesStart| -> Result<Element, String> {
        let mut attrs = Vec::new();
        for attr in e.attributes().with_checks(false) {
            let attr = attr.map_err(|e| format!("bad XML attribute: {e}"))?;
            let value = attr
                .normalized_value(XmlVersion::Implicit1_0)
                .map(|v| v.into_owned())
                .unwrap_or_else(|_| String::from_utf8_lossy(&attr.value).into_owned());
            attrs.push((local(attr.key.as_ref()), value));
        }
        Ok(Element {
            name: local(e.name().as_ref()),
            attrs,
            children: Vec::new(),
        })
    };
    let push_text = |stack: &mut Vec<Element>, text: &str| {
        let top = stack.last_mut().expect("root");
        if let Some(Node::Text(last)) = top.children.last_mut() {
            last.push_str(text);
        } else {
            top.children.push(Node::Text(text.to_string()));
        }
    };
    loop {
        let event = reader.read_event_into(&mut buf).map_err(|e| {
            format!(
                "is not well-formed XML near byte {}: {e}",
                reader.buffer_position()
            )
        })?;
        match event {
            Event::Start(e) => {
                if stack.len() > MAX_XML_DEPTH {
                    return Err(format!(
                        "nests XML elements more than {MAX_XML_DEPTH} deep, which no real document does: the file is damaged or made to crash programs, so Sitat does not read it"
                    ));
                }
                let element = start(&e)?;
                stack.push(element);
            }
            Event::Empty(e) => {
                let element = start(&e)?;
                stack
                    .last_mut()
                    .expect("root")
                    .children
                    .push(Node::Element(element));
            }
            Event::End(_) => {
                if stack.len() < 2 {
                    return Err("is not well-formed XML: an end tag without a start".into());
                }
                let element = stack.pop().expect("checked");
                stack
                    .last_mut()
                    .expect("root")
                    .children
                    .push(Node::Element(element));
            }
            Event::Text(t) => {
                let text = t
                    .xml_content(XmlVersion::Implicit1_0)
                    .map_err(|e| format!("bad text encoding in XML: {e}"))?;
                push_text(&mut stack, &text);
            }
            Event::CData(t) => {
                let text = String::from_utf8_lossy(&t).into_owned();
                push_text(&mut stack, &text);
            }
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c),
                    _ => entity(&String::from_utf8_lossy(&r)),
                };
                match resolved {
                    Some(c) => push_text(&mut stack, c.encode_utf8(&mut [0; 4])),
                    None => push_text(&mut stack, &format!("&{};", String::from_utf8_lossy(&r))),
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if stack.len() != 1 {
        return Err("is not well-formed XML: it ends inside an element (truncated?)".into());
    }
    let root = stack.pop().expect("root");
    root.elements()
        .next()
        .cloned()
        .ok_or_else(|| "holds no XML element".to_string())
}

/// Escapes text for XML element content; drops characters XML 1.0 cannot carry.
pub fn escape_text(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#13;"),
            '\t' | '\n' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
}

/// Escapes text for a double-quoted XML attribute, keeping line breaks and tabs.
pub fn escape_attr(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_escapes() {
        let root =
            parse(b"<?xml version=\"1.0\"?><a:r x=\"1 &amp; 2\"><b>x &lt; &#230;</b><c/>t</a:r>")
                .unwrap();
        assert_eq!(root.name, "r");
        assert_eq!(root.attr("x"), Some("1 & 2"));
        assert_eq!(root.first("b").unwrap().text(), "x < æ");
        assert_eq!(root.text(), "x < æt");
        let mut s = String::new();
        escape_attr("a\"b\n<", &mut s);
        assert_eq!(s, "a&quot;b&#10;&lt;");
        assert!(parse(b"<a><b></a>").is_err());
    }
}
