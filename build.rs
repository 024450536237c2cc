//! Embeds an rpath to libtorch so the binary and test binaries run without LD_LIBRARY_PATH.
//! torch-sys declares `links = "tch"`, so as its direct dependent we receive its lib folder.
fn main() {
    if let Ok(lib) = std::env::var("DEP_TCH_LIBTORCH_LIB") {
        println!("cargo:rustc-link-arg=-Wl,-rpath,{lib}");
    }
    println!("cargo:rerun-if-env-changed=DEP_TCH_LIBTORCH_LIB");
}
