//! Document layer: parsing never panics, and the spans (BOM, trivia, instructions,
//! trailer) reassemble to the input byte for byte.
#![no_main]

use libfuzzer_sys::fuzz_target;
use restage::document::Document;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(doc) = Document::parse(text) else { return };
    assert_eq!(doc.reassemble(), text, "spans do not reassemble the input");
    let mut at = if doc.bom { 3 } else { 0 };
    for ins in &doc.instructions {
        assert_eq!(ins.leading, at..ins.span.start, "trivia and instructions are not contiguous");
        assert!(ins.span.start <= ins.keyword.start && ins.keyword.end <= ins.span.end, "keyword outside its instruction");
        assert!(ins.start_line <= ins.end_line);
        assert_eq!(doc.line_col(ins.span.start).0, ins.start_line, "start line is not the span's");
        assert_eq!(doc.line_col(ins.span.end - 1).0, ins.end_line, "end line is not the span's");
        at = ins.span.end;
    }
    assert_eq!(doc.trailer, at..text.len());
});
