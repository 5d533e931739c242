//! The per-user folders of the XDG base directory spec that vaultscope keeps files in (the
//! study progress in the state folder, the metadata cache in the cache folder), never inside a
//! vault.

use std::path::PathBuf;

/// `$VAR/vaultscope` when `VAR` holds an absolute path, else `$HOME/<fallback>/vaultscope`
/// (`XDG_CACHE_HOME` and `.cache`, `XDG_STATE_HOME` and `.local/state`); `None` when neither
/// is set.
pub fn dir(var: &str, fallback: &str) -> Option<PathBuf> {
    let xdg = std::env::var_os(var)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .filter(|p| p.is_absolute());
    xdg.or_else(|| {
        std::env::var_os("HOME")
            .filter(|v| !v.is_empty())
            .map(|h| PathBuf::from(h).join(fallback))
    })
    .map(|d| d.join("vaultscope"))
}
