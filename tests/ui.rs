//! Compile-time behaviour of the attributes: accepted shapes build, every rule's violation fails
//! with the committed message. One test, so trybuild builds its project once.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.pass("tests/ui/pass/*.rs");
    t.compile_fail("tests/ui/fail/*.rs");
}
