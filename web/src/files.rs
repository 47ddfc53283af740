//! Turning picked and dropped files and folders into [`PickedFile`]s:
//! folders are walked recursively, names are paths relative to what was
//! dropped or picked. Browser-only; natively the functions are absent.

#[cfg(target_arch = "wasm32")]
pub use wasm::*;

#[cfg(target_arch = "wasm32")]
mod wasm {
    use js_sys::{Array, Promise};
    use wasm_bindgen::JsCast;
    use wasm_bindgen::JsValue;
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{
        DataTransfer, File, FileList, FileSystemDirectoryEntry, FileSystemEntry,
        FileSystemFileEntry,
    };

    use crate::bridge::PickedFile;

    fn picked(file: File, name: String) -> PickedFile {
        PickedFile {
            name,
            size: file.size() as u64,
            file,
        }
    }

    /// The files of a file input (`webkitRelativePath` names for folder pickers).
    pub fn from_file_list(list: &FileList) -> Vec<PickedFile> {
        (0..list.length())
            .filter_map(|i| list.get(i))
            .map(|f| {
                let rel = js_sys::Reflect::get(&f, &JsValue::from_str("webkitRelativePath"))
                    .ok()
                    .and_then(|v| v.as_string())
                    .filter(|s| !s.is_empty());
                let name = rel.unwrap_or_else(|| f.name());
                picked(f, name)
            })
            .collect()
    }

    /// What a drop holds, taken synchronously (a drop's items are gone once
    /// its handler returns): directory-aware entries, or plain files.
    pub enum Dropped {
        /// Entries to walk.
        Entries(Vec<FileSystemEntry>),
        /// Plain files (no entry API).
        Files(Vec<PickedFile>),
    }

    /// Takes a drop's items.
    pub fn take_drop(dt: &DataTransfer) -> Dropped {
        let items = dt.items();
        let mut entries = Vec::new();
        for i in 0..items.length() {
            if let Some(entry) = items
                .get(i)
                .and_then(|it| it.webkit_get_as_entry().ok().flatten())
            {
                entries.push(entry);
            }
        }
        if !entries.is_empty() {
            return Dropped::Entries(entries);
        }
        Dropped::Files(dt.files().map(|l| from_file_list(&l)).unwrap_or_default())
    }

    async fn file_of(entry: &FileSystemFileEntry) -> Result<File, JsValue> {
        let p = Promise::new(&mut |resolve, reject| {
            entry.file_with_callback_and_callback(&resolve, &reject);
        });
        Ok(JsFuture::from(p).await?.unchecked_into())
    }

    async fn read_batch(reader: &web_sys::FileSystemDirectoryReader) -> Result<Array, JsValue> {
        let p = Promise::new(&mut |resolve, reject| {
            let _ = reader.read_entries_with_callback_and_callback(&resolve, &reject);
        });
        Ok(JsFuture::from(p).await?.unchecked_into())
    }

    /// Walks dropped entries: files as they are, folders recursively (hidden
    /// files inside folders, such as `.DS_Store`, are left out). Entries that
    /// cannot be read are reported as (name, reason).
    pub async fn walk(entries: Vec<FileSystemEntry>) -> (Vec<PickedFile>, Vec<(String, String)>) {
        let mut out = Vec::new();
        let mut failed = Vec::new();
        let mut stack: Vec<(FileSystemEntry, bool)> =
            entries.into_iter().rev().map(|e| (e, true)).collect();
        while let Some((entry, top)) = stack.pop() {
            let path = entry.full_path().trim_start_matches('/').to_string();
            let path = if path.is_empty() { entry.name() } else { path };
            if !top && entry.name().starts_with('.') {
                continue;
            }
            if entry.is_directory() {
                let dir: FileSystemDirectoryEntry = entry.unchecked_into();
                let reader = dir.create_reader();
                let mut children = Vec::new();
                loop {
                    match read_batch(&reader).await {
                        Ok(batch) if batch.length() > 0 => {
                            children.extend(
                                batch.iter().map(|e| e.unchecked_into::<FileSystemEntry>()),
                            );
                        }
                        Ok(_) => break,
                        Err(_) => {
                            failed.push((path.clone(), "the folder could not be read".into()));
                            break;
                        }
                    }
                }
                baton_core::sort::sort_by_key(&mut children, |c| c.name());
                stack.extend(children.into_iter().rev().map(|c| (c, false)));
            } else if entry.is_file() {
                let fe: FileSystemFileEntry = entry.unchecked_into();
                match file_of(&fe).await {
                    Ok(f) => out.push(picked(f, path)),
                    Err(_) => failed.push((path, "the file could not be read".into())),
                }
            }
        }
        (out, failed)
    }
}
