// The default theme is compiled into the binary (include_dir!): rebuild
// whenever any of its files changes.
fn main() {
    println!("cargo:rerun-if-changed=themes/cafe");
}
