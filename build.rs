//! Embeds an rpath to libtorch so the binary and test binaries run without LD_LIBRARY_PATH,
//! and records the libtorch version it links (`CROSSCHECK_LIBTORCH_VERSION`: part of the key
//! of the measured precision choice, `crosscheck::models::calibration`).
//! torch-sys declares `links = "tch"`, so as its direct dependent we receive its lib folder.
fn main() {
    let mut version = String::from("unknown");
    if let Ok(lib) = std::env::var("DEP_TCH_LIBTORCH_LIB") {
        println!("cargo:rustc-link-arg=-Wl,-rpath,{lib}");
        let header =
            std::path::Path::new(&lib).join("../include/torch/csrc/api/include/torch/version.h");
        println!("cargo:rerun-if-changed={}", header.display());
        if let Some(v) = std::fs::read_to_string(&header)
            .ok()
            .as_deref()
            .and_then(torch_version)
        {
            version = v;
        }
    }
    println!("cargo:rustc-env=CROSSCHECK_LIBTORCH_VERSION={version}");
    println!("cargo:rerun-if-env-changed=DEP_TCH_LIBTORCH_LIB");
}

/// The string of `#define TORCH_VERSION "2.4.0"` (the value may follow on the next line).
fn torch_version(header: &str) -> Option<String> {
    const DEFINE: &str = "#define TORCH_VERSION";
    let (at, _) = header
        .match_indices(DEFINE)
        .find(|&(i, _)| header[i + DEFINE.len()..].starts_with([' ', '\t']))?;
    let rest = &header[at..];
    let start = rest.find('"')? + 1;
    let end = start + rest[start..].find('"')?;
    Some(rest[start..end].to_string())
}
