//! Writing results safely, so that eta never replaces a file it did not write, never leaves a
//! partial or mixed set of outputs, and never leaves temporary files behind:
//!
//! - [`AtomicFile`]: one file written under a temporary name in its own folder and renamed into
//!   place, so an interrupted write leaves the old file or the new one, never half of one;
//! - [`OutputSet`]: a command's output folder updated as one unit: the folder is locked, every
//!   file is written into a staging folder inside it, and only a finished run moves its files
//!   in and removes the files of an earlier run (eta's own, recognised by [`written_by_eta`]);
//!   anything else in the folder is left alone, and never replaced unless the user forces it;
//! - [`SamplesFile`]: the `--samples` destination: a regular file replaced atomically, or a
//!   device or FIFO (`/dev/null`, a pipe) written through.
use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use tempfile::NamedTempFile;

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

/// Why an output could not be written where asked.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("{0} exists and is not a folder")]
    NotAFolder(PathBuf),
    #[error(
        "another eta command is writing into {0} right now; wait for it to finish, or choose \
         another --out"
    )]
    Busy(PathBuf),
    #[error(
        "{0} exists and was not written by eta, which does not replace it (move it away, or \
         pass --force to replace it)"
    )]
    Foreign(PathBuf),
    #[error("{path}: {why}")]
    Refused { path: PathBuf, why: String },
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> OutputError + '_ {
    move |source| OutputError::Io {
        path: path.to_owned(),
        source: without_temporary_path(source),
    }
}

/// The names of the reports eta writes into an output folder.
const REPORTS: [&str; 6] = [
    "summary.json",
    "compare.json",
    "sweep.json",
    "score.json",
    "report.html",
    "report.md",
];
/// The first bytes of every report.html and report.md eta writes.
pub const HTML_REPORT_START: &str = "<!DOCTYPE html>\n<!-- report written by eta -->\n";
pub const MARKDOWN_REPORT_START: &str = "<!-- report written by eta -->\n";
/// The first bytes of those reports, as eta writes them.
const REPORT_STARTS: [&[u8]; 6] = [
    b"{\n  \"eta_version\":",
    b"{\n  \"trials\":",
    b"{\n  \"param\":",
    b"{\n  \"eta_version\":",
    HTML_REPORT_START.as_bytes(),
    MARKDOWN_REPORT_START.as_bytes(),
];
/// The names (without extension) of the charts eta writes: `eta run`'s, `eta compare`'s and
/// `eta sweep`'s and `eta score`'s.
const CHARTS: [&str; 10] = [
    "arrival-histogram",
    "arrival-cdf",
    "milestones",
    "drivers",
    "convergence",
    "compare-cdf",
    "compare-deltas",
    "sweep",
    "pit",
    "reliability",
];
/// eta's charts are 1600 × 1000 pixels (`chart::WIDTH`, `chart::HEIGHT`).
const CHART_SIZE: (u32, u32) = (1600, 1000);
/// The first line of a samples file starts so (see `report::samples`).
const SAMPLES_START: &[u8] = b"trial,route,";
/// Staging folders are named so inside the output folder.
const STAGING_PREFIX: &str = ".eta-staging-";

/// Whether `name` is the name of a report or chart eta writes into an output folder.
pub fn is_own_name(name: &str) -> bool {
    REPORTS.contains(&name)
        || name
            .rsplit_once('.')
            .is_some_and(|(stem, ext)| CHARTS.contains(&stem) && (ext == "png" || ext == "svg"))
}

/// Whether the regular file at `path` was written by eta, judged by its name and first bytes: one
/// of eta's reports (summary.json, compare.json, sweep.json, score.json) or charts (1600 × 1000 PNG or SVG)
/// under eta's name for it, or, under any name, a samples file (its header starts
/// `trial,route,`). A symbolic link, a folder or a device never is.
pub fn written_by_eta(path: &Path) -> bool {
    let Ok(meta) = fs::symlink_metadata(path) else {
        return false;
    };
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    let (true, Some(name)) = (meta.is_file(), name) else {
        return false;
    };
    let mut head = [0u8; 64];
    let n = fs::File::open(path)
        .and_then(|mut f| read_up_to(&mut f, &mut head))
        .unwrap_or(0);
    let head = &head[..n];
    if let Some(i) = REPORTS.iter().position(|r| *r == name) {
        return head.starts_with(REPORT_STARTS[i]);
    }
    if is_own_name(&name) {
        let svg = format!(
            "<svg width=\"{}\" height=\"{}\"",
            CHART_SIZE.0, CHART_SIZE.1
        );
        return head.starts_with(svg.as_bytes()) || is_chart_png(head);
    }
    head.starts_with(SAMPLES_START)
}

/// Whether the regular file at `path` is an eta samples file (its first line starts
/// `trial,route,`), whatever its name.
pub fn is_samples_file(path: &Path) -> bool {
    let mut head = [0u8; SAMPLES_START.len()];
    fs::symlink_metadata(path).is_ok_and(|m| m.is_file())
        && fs::File::open(path)
            .and_then(|mut f| read_up_to(&mut f, &mut head))
            .is_ok_and(|n| head[..n] == *SAMPLES_START)
}

/// A PNG whose header (IHDR) says 1600 × 1000.
fn is_chart_png(head: &[u8]) -> bool {
    let size = |at: usize| {
        head.get(at..at + 4)
            .and_then(|b| b.try_into().ok())
            .map(u32::from_be_bytes)
    };
    head.starts_with(b"\x89PNG\r\n\x1a\n")
        && head.get(12..16) == Some(b"IHDR")
        && (size(16), size(20)) == (Some(CHART_SIZE.0), Some(CHART_SIZE.1))
}

fn read_up_to(file: &mut fs::File, buf: &mut [u8]) -> io::Result<usize> {
    use std::io::Read;
    let mut n = 0;
    while n < buf.len() {
        match file.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

/// Whether `a` and `b` name the same existing file (or folder), however spelled: the same
/// device and inode, so hard links and symbolic links are seen through.
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (fs::metadata(a), fs::metadata(b)) {
        (Ok(a), Ok(b)) => identity(&a) == identity(&b) && identity(&a).is_some(),
        _ => false,
    }
}

#[cfg(unix)]
fn identity(meta: &fs::Metadata) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    Some((meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn identity(_: &fs::Metadata) -> Option<(u64, u64)> {
    None
}

/// A command's output folder, updated as one unit. [`OutputSet::begin`] locks the folder (a
/// second command into it is refused while the lock is held) and makes a staging folder inside
/// it; the command writes every file at the path [`OutputSet::path`] gives (or into
/// [`OutputSet::staging`]); [`OutputSet::commit`] moves them all into the folder and removes the
/// files an earlier command of eta's left there under other names. Dropped without `commit`
/// (an error, an interrupted run), it removes the staging folder, and the folder too if `begin`
/// created it: the folder is left as it was.
///
/// ```no_run
/// # fn main() -> Result<(), eta::output::OutputError> {
/// let mut set = eta::output::OutputSet::begin(std::path::Path::new("output/x"), false)?;
/// let summary = set.path("summary.json")?; // checked now, before any work
/// // ... run, then write `summary` (e.g. with write_atomic) and the charts into set.staging() ...
/// let written = set.commit()?; // output/x/summary.json, ...
/// # Ok(()) }
/// ```
pub struct OutputSet {
    dir: PathBuf,
    staging: Option<tempfile::TempDir>,
    /// The open folder, locked while the set lives.
    _lock: fs::File,
    /// The files claimed with `path`, in order.
    names: Vec<String>,
    force: bool,
    /// The folders `begin` created, the deepest first (removed again, if still empty, when the
    /// set is not committed).
    created: Vec<PathBuf>,
}

impl OutputSet {
    /// Creates `dir` (and its parents) if needed, locks it, and removes staging folders that an
    /// eta killed outright (SIGKILL, out of memory) left in it. `force` lets the set replace
    /// files eta did not write at the names it writes.
    pub fn begin(dir: &Path, force: bool) -> Result<OutputSet, OutputError> {
        match fs::metadata(dir) {
            Ok(meta) if !meta.is_dir() => return Err(OutputError::NotAFolder(dir.to_owned())),
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(io_error(dir)(e)),
            _ => {}
        }
        let created: Vec<PathBuf> = dir
            .ancestors()
            .take_while(|p| !p.as_os_str().is_empty() && fs::symlink_metadata(p).is_err())
            .map(Path::to_path_buf)
            .collect();
        let made = fs::create_dir_all(dir).map_err(io_error(dir));
        let unmade = || {
            for d in &created {
                let _ = fs::remove_dir(d);
            }
        };
        if let Err(e) = made {
            unmade();
            return Err(e);
        }
        let lock = lock(dir).inspect_err(|_| unmade())?;
        let mut set = OutputSet {
            dir: dir.to_owned(),
            staging: None,
            _lock: lock,
            names: Vec::new(),
            force,
            created,
        };
        for entry in fs::read_dir(dir).map_err(io_error(dir))?.flatten() {
            if entry
                .file_name()
                .to_string_lossy()
                .starts_with(STAGING_PREFIX)
            {
                let _ = fs::remove_dir_all(entry.path());
            }
        }
        let staging = tempfile::Builder::new()
            .prefix(STAGING_PREFIX)
            .tempdir_in(dir)
            .map_err(io_error(dir))?;
        set.staging = Some(staging);
        Ok(set)
    }

    /// The output folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The staging folder, where every file of the set is written.
    pub fn staging(&self) -> &Path {
        self.staging.as_ref().map_or(&self.dir, |s| s.path())
    }

    /// Claims `name` (a plain file name) for the set and gives the staging path to write it to.
    /// Refuses, now rather than after the run, a name whose file in the folder eta did not write
    /// (unless forced) or that is a folder.
    pub fn path(&mut self, name: &str) -> Result<PathBuf, OutputError> {
        let plain = Path::new(name).file_name().is_some_and(|n| n == name);
        if !plain {
            return Err(OutputError::Refused {
                path: self.dir.join(name),
                why: "not a plain file name".into(),
            });
        }
        self.check_replaceable(name)?;
        if !self.names.iter().any(|n| n == name) {
            self.names.push(name.to_owned());
        }
        Ok(self.staging().join(name))
    }

    /// If `path` names a file directly inside the output folder, its name.
    pub fn name_in_folder(&self, path: &Path) -> Option<String> {
        let name = path.file_name()?;
        let parent = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        same_file(parent, &self.dir).then(|| name.to_string_lossy().into_owned())
    }

    fn check_replaceable(&self, name: &str) -> Result<(), OutputError> {
        let target = self.dir.join(name);
        match fs::symlink_metadata(&target) {
            Err(_) => Ok(()),
            Ok(meta) if meta.is_dir() => Err(OutputError::Refused {
                path: target,
                why: "is a folder".into(),
            }),
            Ok(_) if self.force || written_by_eta(&target) => Ok(()),
            Ok(_) => Err(OutputError::Foreign(target)),
        }
    }

    /// Moves every file of the staging folder into the output folder (each by one rename, so
    /// no file is ever half written), then removes eta's own files that this set did not write
    /// (an earlier run's charts in another format, or after `--no-charts`); returns the files
    /// written, those claimed with `path` first, in order. Nothing moves if any would replace
    /// a file eta did not write.
    pub fn commit(mut self) -> Result<Vec<PathBuf>, OutputError> {
        let staging = self.staging().to_owned();
        let mut staged: Vec<String> = fs::read_dir(&staging)
            .map_err(io_error(&staging))?
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        staged.sort_by_key(|n| {
            (
                self.names.iter().position(|c| c == n).unwrap_or(usize::MAX),
                n.clone(),
            )
        });
        for name in &staged {
            self.check_replaceable(name)?;
        }
        let mut written = Vec::new();
        for name in &staged {
            let target = self.dir.join(name);
            fs::rename(staging.join(name), &target).map_err(io_error(&target))?;
            written.push(target);
        }
        for entry in fs::read_dir(&self.dir)
            .map_err(io_error(&self.dir))?
            .flatten()
        {
            let name = entry.file_name().to_string_lossy().into_owned();
            if is_own_name(&name) && !staged.contains(&name) && written_by_eta(&entry.path()) {
                fs::remove_file(entry.path()).map_err(io_error(&entry.path()))?;
            }
        }
        self.created.clear();
        Ok(written)
    }
}

impl Drop for OutputSet {
    fn drop(&mut self) {
        if let Some(staging) = self.staging.take() {
            let _ = staging.close();
        }
        // Only while empty: never a file someone else put there meanwhile.
        for dir in &self.created {
            if fs::remove_dir(dir).is_err() {
                break;
            }
        }
    }
}

/// Opens `dir` and takes its advisory lock (released when the file closes, also when the
/// process dies), checking that `dir` is still the folder locked.
fn lock(dir: &Path) -> Result<fs::File, OutputError> {
    let file = fs::File::open(dir).map_err(io_error(dir))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(fs::TryLockError::WouldBlock) => return Err(OutputError::Busy(dir.to_owned())),
        Err(fs::TryLockError::Error(e)) => return Err(io_error(dir)(e)),
    }
    let locked = file.metadata().ok();
    let now = fs::metadata(dir).ok();
    if locked.as_ref().and_then(identity) != now.as_ref().and_then(identity) {
        // Removed (by a failed run that had created it) between our open and our lock.
        return Err(OutputError::Busy(dir.to_owned()));
    }
    Ok(file)
}

/// The `--samples` destination outside the output folder.
pub enum SamplesFile {
    /// A regular file, replaced when committed.
    Atomic(AtomicFile),
    /// A character device or FIFO (`/dev/null`, a pipe), written through as the run goes.
    Through(BufWriter<fs::File>),
}

impl SamplesFile {
    /// Opens `path` for a samples file. A missing file is created (in a folder that exists); an
    /// existing regular file is replaced only if it is an eta samples file (or `force`), and
    /// never if it is `protected` (the scenario) or one of eta's reports or charts; a symbolic
    /// link is followed and the same rules apply to its target; a character device or FIFO is
    /// written through; a folder or anything else is refused.
    pub fn open(path: &Path, force: bool, protected: &Path) -> Result<SamplesFile, OutputError> {
        let refuse = |why: &str| OutputError::Refused {
            path: path.to_owned(),
            why: why.to_owned(),
        };
        let meta = match fs::symlink_metadata(path) {
            Ok(meta) => meta,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                let parent = match path.parent() {
                    Some(p) if !p.as_os_str().is_empty() => p,
                    _ => Path::new("."),
                };
                if !fs::metadata(parent).is_ok_and(|m| m.is_dir()) {
                    return Err(refuse("its folder does not exist"));
                }
                return Ok(SamplesFile::Atomic(
                    AtomicFile::create(path).map_err(io_error(path))?,
                ));
            }
            Err(e) => return Err(io_error(path)(e)),
        };
        if meta.is_symlink() {
            let target = fs::canonicalize(path)
                .map_err(|_| refuse("is a symbolic link to nothing that exists"))?;
            return SamplesFile::open(&target, force, protected);
        }
        if same_file(path, protected) {
            return Err(refuse("is the scenario file"));
        }
        if meta.is_dir() {
            return Err(refuse("is a folder; give a file name"));
        }
        if meta.is_file() {
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
            if name.is_some_and(|n| is_own_name(&n)) && written_by_eta(path) {
                return Err(refuse(
                    "is a report or chart of an eta run, not a samples file",
                ));
            }
            if !force && !is_samples_file(path) {
                return Err(refuse(
                    "exists and is not an eta samples file (its first line is not \
                     `trial,route,...`); move it away, or pass --force to replace it",
                ));
            }
            return Ok(SamplesFile::Atomic(
                AtomicFile::create(path).map_err(io_error(path))?,
            ));
        }
        if is_device_or_fifo(&meta) {
            let file = fs::OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(io_error(path))?;
            return Ok(SamplesFile::Through(BufWriter::with_capacity(
                1 << 20,
                file,
            )));
        }
        Err(refuse(
            "is neither a regular file nor a character device or FIFO",
        ))
    }

    /// Finishes the file: renames a regular file into place, flushes a device.
    pub fn commit(self) -> io::Result<()> {
        match self {
            SamplesFile::Atomic(file) => file.commit(),
            SamplesFile::Through(mut w) => w.flush(),
        }
    }
}

#[cfg(unix)]
fn is_device_or_fifo(meta: &fs::Metadata) -> bool {
    use std::os::unix::fs::FileTypeExt;
    meta.file_type().is_char_device() || meta.file_type().is_fifo()
}

#[cfg(not(unix))]
fn is_device_or_fifo(_: &fs::Metadata) -> bool {
    false
}

impl Write for SamplesFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            SamplesFile::Atomic(f) => f.write(buf),
            SamplesFile::Through(w) => w.write(buf),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match self {
            SamplesFile::Atomic(f) => f.flush(),
            SamplesFile::Through(w) => w.flush(),
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
