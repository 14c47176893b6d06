//! The built-in tables as `build.rs` parsed them: a static tree per `mappings/*.toml` file,
//! read through serde into the same structs, with the same spans, as `toml::from_str` of the
//! file would give.
//!
//! Why: one small file end to end should cost little more than starting a process (a
//! pre-commit hook pays it on every commit), and parsing nine TOML files was most of it. The
//! tree is generic TOML values, so the structs in `knowledge` and the files can gain fields
//! without touching this module or `build.rs`; a test checks the two routes agree.

use serde::de::value::{Error, MapAccessDeserializer, MapDeserializer, SeqDeserializer};
use serde::de::{self, IntoDeserializer, Visitor};

/// A TOML value with its byte span in the file.
pub(super) struct Node {
    span: (u32, u32),
    value: Value,
}

enum Value {
    Str(&'static str),
    Int(i64),
    #[allow(dead_code, reason = "no built-in value is a float yet; the tree keeps TOML's types")]
    Float(f64),
    Bool(bool),
    Array(&'static [Node]),
    Table(&'static [(&'static str, Node)]),
}

include!(concat!(env!("OUT_DIR"), "/builtin_tables.rs"));

/// Deserializes the built-in file `file` (`mappings/NAME.toml`) from its build-time tree.
pub(super) fn load<T: de::DeserializeOwned>(file: &str) -> Result<T, Error> {
    let (_, root) = TREES.iter().find(|(f, _)| *f == file).ok_or_else(|| de::Error::custom(format!("{file} is not a built-in table")))?;
    T::deserialize(NodeDe(root))
}

#[derive(Clone, Copy)]
struct NodeDe(&'static Node);

impl NodeDe {
    fn span(self) -> std::ops::Range<usize> {
        self.0.span.0 as usize..self.0.span.1 as usize
    }
}

impl<'de> IntoDeserializer<'de, Error> for NodeDe {
    type Deserializer = NodeDe;
    fn into_deserializer(self) -> NodeDe {
        self
    }
}

fn entries<'de>(t: &'static [(&'static str, Node)]) -> MapDeserializer<'de, impl Iterator<Item = (&'static str, NodeDe)>, Error> {
    MapDeserializer::new(t.iter().map(|(k, v)| (*k, NodeDe(v))))
}

/// Mirrors `toml::de::ValueDeserializer`: options are `Some` when present, structs named as
/// `Spanned` get the span, enums are a string or a one-key table.
impl<'de> de::Deserializer<'de> for NodeDe {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.0.value {
            Value::Str(s) => visitor.visit_str(s),
            Value::Int(i) => visitor.visit_i64(*i),
            Value::Float(f) => visitor.visit_f64(*f),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Array(a) => {
                let mut seq = SeqDeserializer::new(a.iter().map(NodeDe));
                let v = visitor.visit_seq(&mut seq)?;
                seq.end()?;
                Ok(v)
            }
            Value::Table(t) => {
                let mut map = entries(t);
                let v = visitor.visit_map(&mut map)?;
                map.end()?;
                Ok(v)
            }
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_struct<V: Visitor<'de>>(self, name: &'static str, _fields: &'static [&'static str], visitor: V) -> Result<V::Value, Error> {
        if serde_spanned::de::is_spanned(name) {
            return visitor.visit_map(serde_spanned::de::SpannedDeserializer::<NodeDe, Error>::new(self, self.span()));
        }
        self.deserialize_any(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(self, _name: &'static str, _variants: &'static [&'static str], visitor: V) -> Result<V::Value, Error> {
        match &self.0.value {
            Value::Str(s) => visitor.visit_enum(s.into_deserializer()),
            Value::Table(t) => visitor.visit_enum(MapAccessDeserializer::new(entries(t))),
            _ => Err(de::Error::custom("wanted string or table")),
        }
    }

    serde::forward_to_deserialize_any! {
        bool u8 u16 u32 u64 u128 i8 i16 i32 i64 i128 f32 f64 char str string seq
        bytes byte_buf map unit ignored_any unit_struct tuple_struct tuple identifier
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    /// The build-time route gives what `toml` gives from the text: every value and span of
    /// every built-in file (compared through `Debug`, which prints the spans).
    #[test]
    fn every_builtin_file_reads_as_toml_reads_it() {
        for (file, text) in super::super::BUILTIN {
            let fast: super::super::TableFile = load(file).unwrap_or_else(|e| panic!("{file}: {e}"));
            let slow: super::super::TableFile = toml::from_str(text).unwrap_or_else(|e| panic!("{file}: {e}"));
            assert_eq!(format!("{fast:#?}"), format!("{slow:#?}"), "{file}");
        }
        assert_eq!(TREES.len(), super::super::BUILTIN.len(), "every mappings/*.toml file is built in");
    }

    /// Values no built-in file has yet: floats, enums (a string or a one-key table), `Spanned`.
    #[test]
    fn floats_enums_and_spans_read_as_in_toml() {
        #[derive(serde::Deserialize, Debug, PartialEq)]
        enum Kind {
            Plain,
            Sized(u32),
        }
        #[derive(serde::Deserialize, Debug)]
        struct S {
            x: f64,
            kinds: Vec<Kind>,
            name: toml::Spanned<String>,
        }
        static KINDS: [Node; 2] = [
            Node { span: (0, 0), value: Value::Str("Plain") },
            Node { span: (0, 0), value: Value::Table(&[("Sized", Node { span: (0, 0), value: Value::Int(3) })]) },
        ];
        static ROOT: Node = Node {
            span: (0, 40),
            value: Value::Table(&[
                ("x", Node { span: (1, 2), value: Value::Float(0.5) }),
                ("kinds", Node { span: (3, 4), value: Value::Array(&KINDS) }),
                ("name", Node { span: (7, 12), value: Value::Str("n") }),
            ]),
        };
        let s = S::deserialize(NodeDe(&ROOT)).unwrap();
        assert_eq!((s.x, s.kinds, s.name.span(), s.name.into_inner()), (0.5, vec![Kind::Plain, Kind::Sized(3)], 7..12, "n".to_string()));
    }

    #[test]
    fn an_unknown_file_is_an_error() {
        assert!(load::<super::super::TableFile>("mappings/none.toml").is_err());
    }
}
