//! This device's IndexedDB (through rexie): the last snapshot, the outbox, refused
//! operations and known order aliases, each as JSON text under a string key, so they
//! survive reloads, crashes and closing the app.

use rexie::{ObjectStore, Rexie, TransactionMode};
use wasm_bindgen::JsValue;

const NAME: &str = "comanda";
pub const OUTBOX: &str = "outbox";
pub const REJECTED: &str = "rejected";
pub const STATE: &str = "state";

pub struct LocalDb(Rexie);

impl LocalDb {
    pub async fn open() -> Result<Self, String> {
        Rexie::builder(NAME)
            .version(1)
            .add_object_store(ObjectStore::new(OUTBOX))
            .add_object_store(ObjectStore::new(REJECTED))
            .add_object_store(ObjectStore::new(STATE))
            .build()
            .await
            .map(LocalDb)
            .map_err(|e| format!("cannot open this device's storage: {e}"))
    }

    /// Writes and waits until IndexedDB has committed it.
    pub async fn put(&self, store: &str, key: &str, json: &str) -> Result<(), String> {
        let tx = self
            .0
            .transaction(&[store], TransactionMode::ReadWrite)
            .map_err(|e| e.to_string())?;
        let s = tx.store(store).map_err(|e| e.to_string())?;
        s.put(&JsValue::from_str(json), Some(&JsValue::from_str(key)))
            .await
            .map_err(|e| e.to_string())?;
        tx.done().await.map_err(|e| e.to_string())?;
        Ok(())
    }

    pub async fn delete(&self, store: &str, key: &str) -> Result<(), String> {
        let tx = self
            .0
            .transaction(&[store], TransactionMode::ReadWrite)
            .map_err(|e| e.to_string())?;
        let s = tx.store(store).map_err(|e| e.to_string())?;
        s.delete(JsValue::from_str(key))
            .await
            .map_err(|e| e.to_string())?;
        tx.done().await.map_err(|e| e.to_string())?;
        Ok(())
    }

    pub async fn get(&self, store: &str, key: &str) -> Option<String> {
        let tx = self
            .0
            .transaction(&[store], TransactionMode::ReadOnly)
            .ok()?;
        let value = tx
            .store(store)
            .ok()?
            .get(JsValue::from_str(key))
            .await
            .ok()??;
        value.as_string()
    }

    pub async fn all(&self, store: &str) -> Vec<String> {
        let Ok(tx) = self.0.transaction(&[store], TransactionMode::ReadOnly) else {
            return vec![];
        };
        let Ok(s) = tx.store(store) else {
            return vec![];
        };
        s.get_all(None, None)
            .await
            .unwrap_or_default()
            .into_iter()
            .filter_map(|v| v.as_string())
            .collect()
    }
}
