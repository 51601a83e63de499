//! Crash-safe output directories.
//!
//! A run writes into a staging directory `<final>.tmp-<pid>` next to the final one and renames
//! it onto `<final>` only in [`StagedDir::commit`], so an interrupted run never leaves a
//! half-written directory under the final name. Rename within one parent directory is atomic
//! on POSIX file systems; replacing an existing `<final>` takes two renames (old aside, new in),
//! so for a moment neither exists, but a half-written one is never visible under the final name.

use super::with_path;
use std::collections::HashSet;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

/// Staging paths in use by live [`StagedDir`]s of this process (a stale one on disk with the
/// same name can only come from a dead process that had the same pid, and may be removed).
static ACTIVE: Mutex<Option<HashSet<PathBuf>>> = Mutex::new(None);

fn active() -> MutexGuard<'static, Option<HashSet<PathBuf>>> {
    ACTIVE
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// An output directory being written. Write files under [`StagedDir::path`], then call
/// [`StagedDir::commit`]. Dropping it without commit deletes the staging directory.
#[derive(Debug)]
pub struct StagedDir {
    final_dir: PathBuf,
    staging: PathBuf,
    committed: bool,
}

/// `<dir>/<name><suffix>-<pid>` for the final directory `<dir>/<name>`.
fn sibling(final_dir: &Path, suffix: &str) -> std::io::Result<PathBuf> {
    let name = final_dir.file_name().ok_or_else(|| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!(
                "output directory \"{}\" has no final name component (use e.g. \"results/run1\")",
                final_dir.display()
            ),
        )
    })?;
    let mut s = OsString::from(name);
    s.push(format!("{suffix}-{}", std::process::id()));
    Ok(final_dir.with_file_name(s))
}

/// Removes a file, symlink or directory tree at `p`.
fn remove_any(p: &Path) -> std::io::Result<()> {
    let meta = std::fs::symlink_metadata(p)?;
    if meta.is_dir() {
        std::fs::remove_dir_all(p)
    } else {
        std::fs::remove_file(p)
    }
}

impl StagedDir {
    /// Creates the staging directory `<final_dir>.tmp-<pid>` (and the parents of `final_dir`).
    /// A leftover staging directory with that name from a dead process is removed first.
    /// Fails with `AlreadyExists` if another live `StagedDir` of this process stages the same
    /// final directory, or with the file-system error naming the path.
    pub fn create(final_dir: &Path) -> std::io::Result<StagedDir> {
        let staging = sibling(final_dir, ".tmp")?;
        let mut guard = active();
        let set = guard.get_or_insert_with(HashSet::new);
        if set.contains(&staging) {
            return Err(std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                format!(
                    "{}: already being written by this process",
                    final_dir.display()
                ),
            ));
        }
        if let Some(parent) = staging.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| with_path(parent, e))?;
        }
        if std::fs::symlink_metadata(&staging).is_ok() {
            remove_any(&staging).map_err(|e| with_path(&staging, e))?;
        }
        std::fs::create_dir(&staging).map_err(|e| with_path(&staging, e))?;
        set.insert(staging.clone());
        Ok(StagedDir {
            final_dir: final_dir.to_path_buf(),
            staging,
            committed: false,
        })
    }

    /// The staging directory to write into (valid until commit or drop).
    pub fn path(&self) -> &Path {
        &self.staging
    }

    /// The directory the outputs will have after [`StagedDir::commit`].
    pub fn final_path(&self) -> &Path {
        &self.final_dir
    }

    /// Renames the staging directory onto the final path and returns the final path.
    ///
    /// An existing final directory (or file) is first renamed to `<final>.old-<pid>`, then the
    /// new one is renamed into place, then the old one is deleted. If the second rename fails the
    /// old one is put back and the error is returned (the staging directory is then removed on
    /// drop). If deleting the old one fails the commit still succeeds and `<final>.old-<pid>`
    /// is left behind.
    pub fn commit(mut self) -> std::io::Result<PathBuf> {
        let final_dir = self.final_dir.clone();
        if std::fs::symlink_metadata(&final_dir).is_ok() {
            let old = sibling(&final_dir, ".old")?;
            if std::fs::symlink_metadata(&old).is_ok() {
                remove_any(&old).map_err(|e| with_path(&old, e))?;
            }
            std::fs::rename(&final_dir, &old).map_err(|e| with_path(&final_dir, e))?;
            if let Err(e) = std::fs::rename(&self.staging, &final_dir) {
                // Best effort: restore the previous outputs; report the original error.
                let _ = std::fs::rename(&old, &final_dir);
                return Err(with_path(&final_dir, e));
            }
            self.committed = true;
            // Documented: a failure here leaves `<final>.old-<pid>` but the commit stands.
            let _ = remove_any(&old);
        } else {
            std::fs::rename(&self.staging, &final_dir).map_err(|e| with_path(&final_dir, e))?;
            self.committed = true;
        }
        Ok(final_dir)
    }
}

impl Drop for StagedDir {
    fn drop(&mut self) {
        if !self.committed {
            // Nothing useful can be done with an error while dropping; the directory name
            // marks it as unfinished, and the next create() with this pid removes it.
            let _ = std::fs::remove_dir_all(&self.staging);
        }
        if let Some(set) = active().as_mut() {
            set.remove(&self.staging);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh scratch directory per test (tests run in parallel within one process).
    fn scratch(tag: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("nanospine-outdir-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    fn entries(d: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn commit_creates_final_and_leaves_nothing_else() {
        let root = scratch("commit");
        let fin = root.join("sub").join("run1");
        let s = StagedDir::create(&fin).unwrap();
        let expect = root
            .join("sub")
            .join(format!("run1.tmp-{}", std::process::id()));
        assert_eq!(s.path(), expect);
        std::fs::write(s.path().join("a.csv"), "x\n1\n").unwrap();
        assert!(!fin.exists(), "final must not appear before commit");
        let out = s.commit().unwrap();
        assert_eq!(out, fin);
        assert_eq!(
            std::fs::read_to_string(fin.join("a.csv")).unwrap(),
            "x\n1\n"
        );
        assert_eq!(entries(&root.join("sub")), ["run1"]);
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn commit_replaces_existing_final() {
        let root = scratch("replace");
        let fin = root.join("run");
        std::fs::create_dir_all(fin.join("nested")).unwrap();
        std::fs::write(fin.join("nested").join("stale.txt"), "old").unwrap();
        let s = StagedDir::create(&fin).unwrap();
        std::fs::write(s.path().join("new.txt"), "new").unwrap();
        // the old outputs stay readable until commit
        assert!(fin.join("nested").join("stale.txt").exists());
        s.commit().unwrap();
        assert_eq!(entries(&fin), ["new.txt"]);
        assert_eq!(entries(&root), ["run"]);
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn drop_without_commit_removes_staging_and_keeps_old_final() {
        let root = scratch("drop");
        let fin = root.join("run");
        std::fs::create_dir_all(&fin).unwrap();
        std::fs::write(fin.join("keep.txt"), "keep").unwrap();
        {
            let s = StagedDir::create(&fin).unwrap();
            std::fs::write(s.path().join("partial.txt"), "half").unwrap();
            assert!(s.path().exists());
        }
        assert_eq!(entries(&root), ["run"]);
        assert_eq!(entries(&fin), ["keep.txt"]);
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn stale_staging_is_cleared_and_concurrent_use_is_refused() {
        let root = scratch("stale");
        let fin = root.join("run");
        let stale = root.join(format!("run.tmp-{}", std::process::id()));
        std::fs::create_dir_all(&stale).unwrap();
        std::fs::write(stale.join("junk.txt"), "junk").unwrap();
        let s = StagedDir::create(&fin).unwrap();
        assert!(entries(s.path()).is_empty(), "stale contents must be gone");
        let e = StagedDir::create(&fin).unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::AlreadyExists);
        drop(s);
        // once dropped, the name is free again
        let s2 = StagedDir::create(&fin).unwrap();
        s2.commit().unwrap();
        assert_eq!(entries(&root), ["run"]);
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn path_without_name_is_rejected() {
        let e = StagedDir::create(Path::new("/")).unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::InvalidInput);
    }
}
