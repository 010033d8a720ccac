//! News in the app, dense and fast like Hacker News: the ranked front page and the newest,
//! best, Ask and Show lists (`/news`, `/news/new`, `/news/best`, `/news/ask`, `/news/show`,
//! paged with `?p=`), a story's thread (`/news/item/:id`, or a comment's own subthread at its
//! id), submitting (`/news/submit`), profiles (`/news/user/:username`) with their lists
//! (`…/stories`, `…/comments`, `…/favorites`, `…/upvoted`), and the moderation log
//! (`/news/moderation`), where moderators also act.

pub mod api;
pub mod bar;
pub mod item;
pub mod list;
pub mod live;
pub mod moderation;
pub mod story;
pub mod submit;
pub mod text;
pub mod thread;
pub mod user;

use app_ui::{components::ErrorBanner, not_found::Fallback, session::use_session, Frame};
use leptos::prelude::*;
use leptos_router::{
    components::{Route, Routes},
    path,
};
use list::Listing;
use shared::{news::wire::ProfileView, ApiError, ErrorCode};

/// The News bundle's routes.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <Frame>
            <NewsRoutes />
        </Frame>
    }
}

#[component]
fn NewsRoutes() -> impl IntoView {
    provide_reader();
    view! {
        <Routes fallback=|| view! { <Fallback /> }>
            <Route path=path!("/news") view=|| view! { <list::ListPage listing=Listing::Front /> } />
            <Route path=path!("/news/new") view=|| view! { <list::ListPage listing=Listing::New /> } />
            <Route path=path!("/news/best") view=|| view! { <list::ListPage listing=Listing::Best /> } />
            <Route path=path!("/news/ask") view=|| view! { <list::ListPage listing=Listing::Ask /> } />
            <Route path=path!("/news/show") view=|| view! { <list::ListPage listing=Listing::Show /> } />
            <Route path=path!("/news/item/:id") view=item::ItemPage />
            <Route path=path!("/news/submit") view=submit::SubmitPage />
            // One route for the profile and its lists, so that a list changes under the profile.
            <Route path=path!("/news/user/:username/:list?") view=user::UserPage />
            <Route path=path!("/news/moderation") view=moderation::ModerationPage />
        </Routes>
    }
}

/// Who is reading, as News sees them: the account (from the session) and its karma, which
/// decides what they may do (flag and vouch from 30, vote comments down from 500); and a note
/// a page leaves for the next one ("that link was submitted already").
#[derive(Clone, Copy)]
pub struct Reader {
    session: app_ui::session::Session,
    profile: LocalResource<Option<ProfileView>>,
    /// Said once at the top of the next page shown.
    pub note: RwSignal<Option<String>>,
}

impl Reader {
    pub fn signed_in(&self) -> bool {
        self.session.user.with(Option::is_some)
    }

    /// Whether the session has been asked for yet (so a page does not flash "sign in").
    pub fn checked(&self) -> bool {
        self.session.checked.get()
    }

    pub fn username(&self) -> Option<String> {
        self.session.user.with(|u| u.as_ref().map(|u| u.username.clone()))
    }

    /// Whether `by` is the reader.
    pub fn is(&self, by: &str) -> bool {
        self.session.user.with(|u| u.as_ref().is_some_and(|u| u.username.eq_ignore_ascii_case(by)))
    }

    /// The reader's karma, once known.
    pub fn known_karma(&self) -> Option<i64> {
        self.profile.get().flatten().map(|p| p.karma)
    }

    /// The reader's karma (0 until known, or when signed out).
    pub fn karma(&self) -> i64 {
        self.known_karma().unwrap_or(0)
    }

    /// Whether the reader moderates News (false until known): the worker still judges each act.
    pub fn moderator(&self) -> bool {
        self.profile.with(|p| p.as_ref().and_then(Option::as_ref).is_some_and(|p| p.moderator))
    }
}

fn provide_reader() {
    let session = use_session();
    let profile = LocalResource::new(move || {
        let name = session.user.with(|u| u.as_ref().map(|u| u.username.clone()));
        async move {
            match name {
                Some(name) => api::profile(&name).await.ok(),
                None => None,
            }
        }
    });
    provide_context(Reader { session, profile, note: RwSignal::new(None) });
}

pub fn use_reader() -> Reader {
    expect_context::<Reader>()
}

/// What a page that could not load says: `title` and `what` when there is nothing at its
/// address, else the reason with Retry.
pub fn missing(title: &'static str, what: &'static str) -> Callback<(ApiError, Callback<()>), AnyView> {
    Callback::new(move |(err, retry): (ApiError, Callback<()>)| {
        if err.code == ErrorCode::NotFound {
            view! {
                <section class="panel" data-testid="news-missing">
                    <h1>{title}</h1>
                    <p>{err.message}" "{what}</p>
                    <p><a href="/news">"Back to the front page"</a></p>
                </section>
            }
            .into_any()
        } else {
            view! { <ErrorBanner message=err.message retry /> }.into_any()
        }
    })
}

/// Where "sign in" goes from this page, coming back here after.
pub fn sign_in_href() -> String {
    let here = leptos_router::hooks::use_location();
    let path = format!("{}{}", here.pathname.get_untracked(), {
        let search = here.search.get_untracked();
        if search.is_empty() {
            String::new()
        } else {
            format!("?{search}")
        }
    });
    format!("/signin?next={}", app_ui::nav::encode(&path))
}
