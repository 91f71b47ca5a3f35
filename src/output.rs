//! Writing results safely: every file goes to a temporary name in its own folder and is renamed
//! into place, so an interrupted run leaves the old file or the new one, never half of one.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use tempfile::NamedTempFile;

/// Makes sure `dir` is a folder that exists (creating it and its parents).
pub fn prepare_dir(dir: &Path) -> io::Result<()> {
    if dir.exists() && !dir.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("{} exists and is not a folder", dir.display()),
        ));
    }
    fs::create_dir_all(dir)
}

/// Writes `bytes` to `path` atomically.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = AtomicFile::create(path)?;
    file.write_all(bytes)?;
    file.commit()
}

/// A file being written under a temporary name (unique, made by `tempfile` in the target's own
/// folder, so the final rename stays on one file system); dropped without `commit`, it
/// disappears.
pub struct AtomicFile {
    target: PathBuf,
    writer: Option<BufWriter<NamedTempFile>>,
}

impl AtomicFile {
    pub fn create(target: &Path) -> io::Result<AtomicFile> {
        let dir = match target.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let prefix = format!(".{name}.");
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(".tmp");
        // The permissions a plain `File::create` would give (0666 less the umask), not the
        // owner-only ones temporary files get by default.
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
        let file = builder.tempfile_in(dir).map_err(without_temporary_path)?;
        Ok(AtomicFile {
            target: target.to_owned(),
            writer: Some(BufWriter::with_capacity(1 << 20, file)),
        })
    }

    /// Flushes, syncs and renames the file into place.
    pub fn commit(mut self) -> io::Result<()> {
        let Some(writer) = self.writer.take() else {
            return Err(io::Error::other("file already committed"));
        };
        let file = writer.into_inner().map_err(|e| e.into_error())?;
        file.as_file().sync_all()?;
        file.persist(&self.target).map_err(|e| e.error)?;
        Ok(())
    }
}

/// tempfile's errors end "at path <the random temporary name>"; callers name the file they
/// asked for, so the temporary one is left out.
fn without_temporary_path(e: io::Error) -> io::Error {
    match e.to_string().split_once(" at path ") {
        Some((message, _)) => io::Error::new(e.kind(), message),
        None => e,
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.writer {
            Some(w) => w.write(buf),
            None => Err(io::Error::other("file already committed")),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match &mut self.writer {
            Some(w) => w.flush(),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uncommitted_file_leaves_nothing_and_old_file_survives() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("summary.json");
        write_atomic(&path, b"old").unwrap();
        {
            let mut f = AtomicFile::create(&path).unwrap();
            f.write_all(b"half of the new").unwrap();
        }
        assert_eq!(fs::read(&path).unwrap(), b"old");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn committed_file_replaces_the_old_one_with_ordinary_permissions() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("summary.json");
        write_atomic(&path, b"old").unwrap();
        write_atomic(&path, b"new").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"new");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
        let plain = dir.path().join("plain");
        fs::write(&plain, b"x").unwrap();
        assert_eq!(
            fs::metadata(&path).unwrap().permissions(),
            fs::metadata(&plain).unwrap().permissions()
        );
    }
}
