//! End-to-end encrypted chats on this page. The encryption itself is its own bundle,
//! `app/chat-vault` (keys in IndexedDB, WebCrypto, sealing and opening): this module imports it
//! once the conversation list is on screen (the first visit never waits for it; the browser
//! becomes a device others can write to), and gives the page what it reads of it (`Secrets`):
//! the words of each sealed message once opened, those on their way out, search over what was
//! opened, and safety numbers.

use crate::state::Chat;
use js_sys::{Function, Promise, Reflect};
use leptos::{prelude::*, task::spawn_local};
use shared::chat::{
    e2ee::{envelope::PREFIX, Opened},
    rest::{ConversationView, SearchHit},
    wire::MessageFrame,
};
use std::collections::{HashMap, HashSet};
use wasm_bindgen::{prelude::wasm_bindgen, JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Where the vault bundle's page is: it names the bundle's JS module (hashed by the build).
const VAULT_PAGE: &str = "/assets/chat-vault/";
const VAULT_MODULE: &str = "/assets/chat-vault/chat-vault-";

/// How often a message whose key has not come is tried again, and the pause before each.
const KEY_TRIES: u32 = 5;
const KEY_RETRY_MS: i32 = 2_000;

#[wasm_bindgen(inline_js = "export function import_module(url) { return import(url); }")]
extern "C" {
    /// JavaScript's `import()`, which Rust cannot write.
    fn import_module(url: &str) -> Promise;
}

/// This browser's encryption, as the page sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Keys {
    Starting,
    Ready,
    /// Encrypted chats cannot be read or written here (no IndexedDB, no WebCrypto, offline).
    Failed(String),
}

#[derive(Clone, Copy)]
pub struct Secrets {
    /// The vault's JS module, once imported and started.
    vault: StoredValue<Option<JsValue>, LocalStorage>,
    pub keys: RwSignal<Keys>,
    /// (conversation, seq) → what the vault made of the message.
    opened: RwSignal<HashMap<(String, u64), Opened>>,
    /// How often each message was tried, and those being opened now.
    tries: StoredValue<HashMap<(String, u64), u32>>,
    in_flight: StoredValue<HashSet<(String, u64)>>,
    /// Deleted messages whose words this browser was told to forget.
    forgotten: StoredValue<HashSet<(String, u64)>>,
    /// The words of messages this device sealed, by client id, until they come back.
    sending: RwSignal<HashMap<String, String>>,
    /// Notifications here (`unsupported`, `denied`, `off`, `on`; `None` until the vault says),
    /// and why turning them on or off last failed.
    pub push: RwSignal<Option<String>>,
    pub push_error: RwSignal<Option<String>>,
}

pub fn use_secrets() -> Secrets {
    expect_context::<Secrets>()
}

/// Whether a body is sealed.
pub fn is_sealed(body: &str) -> bool {
    body.starts_with(PREFIX)
}

fn reason(err: JsValue) -> String {
    err.as_string()
        .or_else(|| Reflect::get(&err, &"message".into()).ok().and_then(|m| m.as_string()))
        .unwrap_or_else(|| "the encryption module failed".to_owned())
}

/// The vault's JS module, imported and initialised, its device started for `me`.
async fn load_vault(me: &str) -> Result<JsValue, String> {
    // Revalidated: the page is the one file under /assets/ whose name does not change per build.
    let page = gloo_net::http::Request::get(VAULT_PAGE)
        .cache(web_sys::RequestCache::NoCache)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let html = page.text().await.map_err(|e| e.to_string())?;
    let at = html.find(VAULT_MODULE).ok_or("the vault's page names no module")?;
    let end = html[at..].find(".js").ok_or("the vault's page names no module")? + at + 3;
    let script = &html[at..end];
    let module = JsFuture::from(import_module(script)).await.map_err(reason)?;
    // Its wasm has the module's hashed name too (wasm-bindgen's default guess has no hash).
    let wasm = format!("{}_bg.wasm", script.trim_end_matches(".js"));
    let options = js_sys::Object::new();
    Reflect::set(&options, &"module_or_path".into(), &wasm.into()).map_err(reason)?;
    call(&module, "default", js_sys::Array::of1(&options)).await?;
    invoke(&module, "start", &[me]).await?;
    Ok(module)
}

/// Calls one of the module's async functions with text arguments: its answer, or its error.
async fn invoke(module: &JsValue, name: &str, args: &[&str]) -> Result<JsValue, String> {
    call(module, name, args.iter().map(|a| JsValue::from_str(a)).collect()).await
}

async fn call(module: &JsValue, name: &str, args: js_sys::Array) -> Result<JsValue, String> {
    let function: Function =
        Reflect::get(module, &name.into()).map_err(reason)?.dyn_into().map_err(reason)?;
    let promise: Promise =
        function.apply(&JsValue::NULL, &args).map_err(reason)?.dyn_into().map_err(reason)?;
    JsFuture::from(promise).await.map_err(reason)
}

impl Secrets {
    /// Loads the vault for `me` once the conversation list is on screen, then opens every
    /// sealed message the chat holds as it arrives.
    pub fn provide(me: String, chat: Chat) -> Secrets {
        let secrets = Secrets {
            vault: StoredValue::new_local(None),
            keys: RwSignal::new(Keys::Starting),
            opened: RwSignal::new(HashMap::new()),
            tries: StoredValue::new(HashMap::new()),
            in_flight: StoredValue::new(HashSet::new()),
            forgotten: StoredValue::new(HashSet::new()),
            sending: RwSignal::new(HashMap::new()),
            push: RwSignal::new(None),
            push_error: RwSignal::new(None),
        };
        provide_context(secrets);
        let started = StoredValue::new(false);
        Effect::new(move |_| {
            if chat.list.with(Option::is_none) || started.get_value() {
                return;
            }
            started.set_value(true);
            let me = me.clone();
            spawn_local(async move {
                match load_vault(&me).await {
                    Ok(module) => {
                        let _ = secrets.vault.try_set_value(Some(module.clone()));
                        let _ = secrets.keys.try_set(Keys::Ready);
                        // After: it waits for the service worker, which may take a while.
                        let status =
                            invoke(&module, "push_status", &[]).await.ok().and_then(|s| s.as_string());
                        let _ = secrets.push.try_set(status);
                    }
                    Err(why) => {
                        web_sys::console::warn_1(&format!("Chat's encryption did not load: {why}").into());
                        let _ = secrets.keys.try_set(Keys::Failed(why));
                    }
                }
            });
        });
        Effect::new(move |_| {
            if secrets.keys.get() != Keys::Ready {
                return;
            }
            let sealed: HashSet<String> = chat.list.with(|l| match l {
                Some(Ok(items)) => items.iter().filter(|c| c.encrypted).map(|c| c.id.clone()).collect(),
                _ => HashSet::new(),
            });
            let held: Vec<MessageFrame> = chat.logs.with(|logs| {
                logs.iter()
                    .filter(|(id, _)| sealed.contains(*id))
                    .flat_map(|(_, log)| log.messages.values())
                    .cloned()
                    .collect()
            });
            // Deleted for everyone: its words leave this browser too (search no longer finds them).
            for message in held.iter().filter(|m| m.deleted) {
                secrets.forget(message);
            }
            let waiting: Vec<MessageFrame> = held
                .into_iter()
                .filter(|m| !m.deleted && is_sealed(&m.body))
                .filter(|m| {
                    let key = (m.conversation.clone(), m.seq);
                    !secrets.opened.with_untracked(|o| o.contains_key(&key))
                        && !secrets.in_flight.with_value(|f| f.contains(&key))
                })
                .collect();
            for message in waiting {
                secrets.open(message);
            }
        });
        secrets
    }

    fn module(&self) -> Option<JsValue> {
        self.vault.try_with_value(|v| v.clone()).flatten()
    }

    fn forget(self, message: &MessageFrame) {
        let key = (message.conversation.clone(), message.seq);
        let Some(module) = self.module() else { return };
        if self.forgotten.with_value(|f| f.contains(&key)) {
            return;
        }
        self.forgotten.update_value(|f| {
            f.insert(key.clone());
        });
        let (sender, client_id) = (message.sender.clone(), message.client_id.clone());
        spawn_local(async move {
            let _ = invoke(&module, "forget", &[&key.0, &key.1.to_string(), &sender, &client_id]).await;
        });
    }

    fn open(self, message: MessageFrame) {
        let Some(module) = self.module() else { return };
        let key = (message.conversation.clone(), message.seq);
        self.in_flight.update_value(|f| {
            f.insert(key.clone());
        });
        spawn_local(async move {
            let m = &message;
            let seq = m.seq.to_string();
            let args = [m.conversation.as_str(), &seq, &m.sender, &m.client_id, &m.body, &m.sent_at];
            let answer = match invoke(&module, "open", &args).await {
                Ok(line) => Opened::from_line(&line.as_string().unwrap_or_default()),
                Err(why) => Opened::Failed(why),
            };
            let _ = self.in_flight.try_update_value(|f| f.remove(&key));
            let tries = self
                .tries
                .try_update_value(|t| {
                    let n = t.entry(key.clone()).or_insert(0);
                    *n += 1;
                    *n
                })
                .unwrap_or(KEY_TRIES);
            // A key may be on its way (its sender is handing it over now), or the browser failed
            // for a moment (the network, while taking the inbox): try again a few times, unless
            // the message was deleted meanwhile (its words are not to come back).
            if matches!(answer, Opened::NoKey | Opened::Failed(_)) && tries < KEY_TRIES {
                let again = key.clone();
                crate::socket::after_ms(KEY_RETRY_MS * tries as i32, move || {
                    if !self.forgotten.with_value(|f| f.contains(&again)) {
                        self.open(message)
                    }
                });
            }
            let _ = self.opened.try_update(|o| {
                o.insert(key, answer);
            });
        });
    }

    /// Turns notifications on (the browser asks first) or off.
    pub fn toggle_push(self) {
        let Some(module) = self.module() else { return };
        let verb = if self.push.get_untracked().as_deref() == Some("on") { "push_off" } else { "push_on" };
        self.push_error.set(None);
        spawn_local(async move {
            match invoke(&module, verb, &[]).await {
                Ok(status) => self.push.set(status.as_string()),
                Err(why) => self.push_error.set(Some(why)),
            }
        });
    }

    /// Whether voice notes can be recorded here (tracked): the bundle that records them is
    /// loaded and the browser has `MediaRecorder`.
    pub fn can_record(&self) -> bool {
        let window: JsValue = web_sys::window().map(Into::into).unwrap_or(JsValue::UNDEFINED);
        self.keys.get() == Keys::Ready
            && Reflect::get(&window, &"MediaRecorder".into()).is_ok_and(|c| c.is_function())
    }

    /// `record_start`, `record_finish` (the voice note as a `File`) or `record_cancel`.
    pub async fn record(&self, verb: &str) -> Result<JsValue, String> {
        invoke(&self.ready()?, verb, &[]).await
    }

    /// What this device made of a sealed message (tracked): `None` while opening.
    pub fn text(&self, message: &MessageFrame) -> Option<Opened> {
        self.opened.with(|o| o.get(&(message.conversation.clone(), message.seq)).cloned())
    }

    /// The words of a message on its way out, if this device sealed it.
    pub fn sending(&self, client_id: &str) -> Option<String> {
        self.sending.with(|s| s.get(client_id).cloned())
    }

    fn ready(&self) -> Result<JsValue, String> {
        self.module().ok_or_else(|| match self.keys.get_untracked() {
            Keys::Failed(why) => format!("This browser cannot encrypt: {why}"),
            _ => "This browser's keys are still being made; try again in a moment.".to_owned(),
        })
    }

    /// Seals `text` for `conversation` as message `client_id`: the body to send.
    pub async fn seal(
        &self,
        conversation: &ConversationView,
        text: &str,
        client_id: &str,
    ) -> Result<String, String> {
        let module = self.ready()?;
        self.sending.update(|s| {
            s.insert(client_id.to_owned(), text.to_owned());
        });
        let args = [conversation.id.as_str(), text, client_id];
        let sealed = invoke(&module, "seal", &args).await.map(|b| b.as_string().unwrap_or_default());
        if sealed.is_err() {
            self.sending.update(|s| {
                s.remove(client_id);
            });
        }
        sealed
    }

    /// What this device opened that has every word of `q`.
    pub async fn search(&self, q: &str) -> Vec<SearchHit> {
        let Some(module) = self.module() else { return Vec::new() };
        match invoke(&module, "search", &[q]).await {
            Ok(json) => serde_json::from_str(&json.as_string().unwrap_or_default()).unwrap_or_default(),
            Err(_) => Vec::new(),
        }
    }

    /// The safety number of this person and `them`, and the same as an SVG QR code.
    pub async fn safety_number(&self, them: &str) -> Result<(String, String), String> {
        let module = self.ready()?;
        let answer = invoke(&module, "safety_number", &[them]).await?.as_string().unwrap_or_default();
        let (number, qr) = answer.split_once('\n').unwrap_or((&answer, ""));
        Ok((number.to_owned(), qr.to_owned()))
    }
}
