//! A match's video: its HLS stream in the browser's own player where it plays HLS (Safari,
//! recent Chromium), else through hls.js (loaded only then), with the highlights marked on a
//! timeline under it (a tap jumps there) and the clips listed (each plays its few seconds).

use crate::api;
use leptos::{html, prelude::*};
use shared::cricket::{commentary::LineKind, video::StreamView};
use wasm_bindgen::{prelude::Closure, JsCast, JsValue};

/// hls.js as the app build copies it (scripts/build-app.mjs checks this name).
const HLS_SCRIPT: &str = "/assets/vendor/hls-1.7.4.light.min.js";
/// The timeline's width in SVG units.
const TIMELINE: f64 = 1000.0;

/// The video section, when the match has a stream; its highlights follow the match's revision.
#[component]
pub fn MatchVideo(id: String, version: Memo<u64>) -> impl IntoView {
    let stream = LocalResource::new(move || {
        let id = id.clone();
        version.track();
        async move { api::stream(&id).await }
    });
    let view_now = Signal::derive(move || stream.get().and_then(Result::ok));
    // The player is made once per playlist: new highlights must not restart the video.
    let playlist = Memo::new(move |_| view_now.get().and_then(|s| s.playlist));
    move || playlist.get().map(|url| view! { <Player url stream=view_now /> })
}

fn clock(secs: f64) -> String {
    let s = secs.max(0.0) as u64;
    format!("{}:{:02}", s / 60, s % 60)
}

fn kind_class(kind: LineKind) -> &'static str {
    match kind {
        LineKind::Wicket => "mark wicket",
        LineKind::Boundary => "mark boundary",
        _ => "mark milestone",
    }
}

#[component]
fn Player(url: String, stream: Signal<Option<StreamView>>) -> impl IntoView {
    let video = NodeRef::<html::Video>::new();
    let clip_end = StoredValue::new(None::<f64>);
    let src = url.clone();
    Effect::new(move |_| {
        if let Some(element) = video.get() {
            attach(&element, &src);
        }
    });
    let play_from = move |start: f64, end: Option<f64>| {
        if let Some(v) = video.get_untracked() {
            v.set_current_time(start);
            clip_end.set_value(end);
            let _ = v.play();
        }
    };
    let stop_at_clip_end = move |_| {
        if let (Some(end), Some(v)) = (clip_end.get_value(), video.get_untracked()) {
            if v.current_time() >= end {
                v.pause().ok();
                clip_end.set_value(None);
            }
        }
    };
    view! {
        <section class="panel video" aria-labelledby="video-title" data-testid="video">
            <h2 id="video-title" class="small">"Video"</h2>
            <video node_ref=video controls=true playsinline=true muted=true preload="metadata"
                on:timeupdate=stop_at_clip_end data-testid="video-player"></video>
            {move || stream.get().map(|s| {
                let duration = s.duration_secs.max(1.0);
                let marks: Vec<_> = s.highlights.iter().filter_map(|h| h.at_secs.filter(|at| *at <= duration).map(|at| (at, h.clone()))).collect();
                view! {
                    <svg class="timeline" viewBox=format!("0 0 {TIMELINE} 28") preserveAspectRatio="none" role="group"
                        aria-label="Highlights on the video" data-testid="timeline">
                        <rect class="track" x="0" y="12" width=TIMELINE.to_string() height="4"></rect>
                        {marks.into_iter().map(|(at, h)| {
                            let x = (at / duration * TIMELINE - 4.0).clamp(0.0, TIMELINE - 8.0);
                            view! {
                                <rect class=kind_class(h.kind) x=format!("{x:.1}") y="2" width="8" height="24" rx="2"
                                    role="button" tabindex="0" data-testid="marker" data-at=format!("{at:.1}")
                                    on:click=move |_| play_from(at, None)>
                                    <title>{format!("{} {} · {}", h.label, h.text, clock(at))}</title>
                                </rect>
                            }
                        }).collect_view()}
                    </svg>
                    {(!s.clips.is_empty()).then(|| view! {
                        <h3 class="small">"Clips"</h3>
                        <ul class="clips" data-testid="clips">
                            {s.clips.iter().map(|c| {
                                let (start, end) = (c.start_secs, c.end_secs);
                                view! {
                                    <li>
                                        <button type="button" class="link-button" data-testid="clip"
                                            on:click=move |_| play_from(start, Some(end))>
                                            {format!("▶ {} ({}–{})", c.title, clock(start), clock(end))}
                                        </button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    })}
                }
            })}
        </section>
    }
}

/// Plays `url` in `video`: by itself where the browser plays HLS, else with hls.js.
fn attach(video: &web_sys::HtmlVideoElement, url: &str) {
    if !video.can_play_type("application/vnd.apple.mpegurl").is_empty() {
        video.set_src(url);
        return;
    }
    let (video, url) = (video.clone(), url.to_owned());
    let start = move || {
        let window = web_sys::window()?;
        let hls_class = js_sys::Reflect::get(&window, &JsValue::from_str("Hls")).ok()?;
        let hls_class: js_sys::Function = hls_class.dyn_into().ok()?;
        let config = js_sys::Object::new();
        // No worker: the page's policy allows scripts from here only, not from blob: URLs.
        js_sys::Reflect::set(&config, &JsValue::from_str("enableWorker"), &JsValue::FALSE).ok()?;
        let hls = js_sys::Reflect::construct(&hls_class, &js_sys::Array::of1(&config)).ok()?;
        let call = |name: &str, arg: &JsValue| {
            js_sys::Reflect::get(&hls, &JsValue::from_str(name))
                .ok()
                .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
                .and_then(|f| f.call1(&hls, arg).ok())
        };
        call("loadSource", &JsValue::from_str(&url))?;
        call("attachMedia", &video)?;
        Some(())
    };
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let Ok(script) = document.create_element("script") else { return };
    let _ = script.set_attribute("src", HLS_SCRIPT);
    let onload = Closure::once_into_js(move || {
        start();
    });
    let _ = script.add_event_listener_with_callback("load", onload.unchecked_ref());
    if let Some(head) = document.head() {
        let _ = head.append_child(&script);
    }
}
