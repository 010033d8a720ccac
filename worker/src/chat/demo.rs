//! The demo account's chats (`shared::chat::demo`), written the way real ones are: friends as
//! accounts, contacts as contact rows, messages appended by each conversation's room, recorded
//! in D1 and indexed for search, reactions through the room.

use crate::{
    auth::store::{self as users, UserRow},
    chat::{
        room::{self, Append, Change, ChangeRequest},
        store::{
            contacts as contacts_store,
            conversations::{self as store},
            search,
        },
    },
    http::OrInternal,
    password::{self, random},
    product::JobResult,
};
use shared::{
    chat::{
        contacts::{Bond, Relation, Side},
        demo::{
            sent_at, Line, Who, DIRECT, FRIENDS, GROUP, GROUP_ID, GROUP_TITLE, GROUP_UNREAD, REACTIONS,
            SPAN_MS,
        },
        members::{direct_pair_key, new_group},
        receipts::Marks,
    },
    demo::{DemoRng, DEMO_USERNAME, DEMO_USER_ID},
    ids::TimeId,
    ApiError,
};
use worker::{D1Database, Env};

pub async fn seed(env: &Env, now_ms: i64) -> JobResult {
    let db = env.d1("DB").internal("D1 binding")?;
    Ok(write(env, &db, now_ms).await?)
}

fn who(who: Who) -> (&'static str, &'static str) {
    match who {
        Who::Demo => (DEMO_USER_ID, DEMO_USERNAME),
        Who::Friend(i) => (FRIENDS[i].id, FRIENDS[i].username),
    }
}

async fn write(env: &Env, db: &D1Database, now_ms: i64) -> Result<usize, ApiError> {
    let mut rng = DemoRng::for_product("chat");
    let start = now_ms - SPAN_MS;
    let mut rows = 0;
    for friend in FRIENDS {
        if users::user_by_id(db, friend.id).await?.is_none() {
            // Nobody signs in as a demo friend: the password is random and never shown.
            let secret: String = random::<16>()?.iter().map(|b| format!("{b:02x}")).collect();
            let user = UserRow {
                id: friend.id.to_owned(),
                username: friend.username.to_owned(),
                email: format!("{}@dozen.example", friend.username),
                display_name: friend.display_name.to_owned(),
                password_hash: password::hash(&secret).await?,
                created_at: start,
            };
            users::insert_user(db, &user).await?;
            rows += 1;
        }
        let side = Side::of(DEMO_USER_ID, friend.id);
        let (a, b) = if side == Side::A { (DEMO_USER_ID, friend.id) } else { (friend.id, DEMO_USER_ID) };
        let contacts = Relation { bond: Bond::Contacts, a_blocks: false, b_blocks: false };
        contacts_store::put_relation(db, a, b, &contacts, 0, start).await?;
        rows += 1;
    }

    let direct_id = TimeId::new(start, rng.id_bytes()).to_string();
    let pair = direct_pair_key(DEMO_USER_ID, FRIENDS[0].id);
    let direct_id =
        store::direct(db, &direct_id, &pair, DEMO_USER_ID, Some(FRIENDS[0].id), false, start).await?;
    let group_id = GROUP_ID.to_owned();
    if store::get(db, &group_id).await?.is_none() {
        let others: Vec<String> = FRIENDS.iter().map(|f| f.id.to_owned()).collect();
        let members = new_group(DEMO_USER_ID, &others, start)?;
        store::group(db, &group_id, GROUP_TITLE, DEMO_USER_ID, &members, false, start).await?;
    }

    for (id, lines) in [(&direct_id, DIRECT), (&group_id, GROUP)] {
        rows += say(env, db, id, lines, now_ms).await?;
    }
    for (in_group, seq, by, emoji) in REACTIONS {
        let (actor_id, actor) = who(*by);
        let request = ChangeRequest {
            conversation: if *in_group { group_id.clone() } else { direct_id.clone() },
            seq: *seq,
            actor_id: actor_id.to_owned(),
            actor: actor.to_owned(),
            floor: 0,
            now_ms,
            change: Change::React { emoji: Some((*emoji).to_owned()) },
        };
        room::change(env, &request).await?;
        rows += 1;
    }
    // Everyone has read everything, but the demo account the group's newest messages.
    let everyone: Vec<&str> = FRIENDS.iter().map(|f| f.id).chain([DEMO_USER_ID]).collect();
    for (id, lines, readers) in
        [(&direct_id, DIRECT, vec![FRIENDS[0].id, DEMO_USER_ID]), (&group_id, GROUP, everyone)]
    {
        let last = lines.len() as u64;
        for reader in readers {
            let seq = if reader == DEMO_USER_ID && id == &group_id { last - GROUP_UNREAD } else { last };
            store::set_marks(db, id, reader, Marks { delivered_seq: last, read_seq: seq }).await?;
        }
    }
    Ok(rows)
}

/// Appends a conversation's lines through its room, as sends do.
async fn say(env: &Env, db: &D1Database, id: &str, lines: &[Line], now_ms: i64) -> Result<usize, ApiError> {
    for (i, line) in lines.iter().enumerate() {
        let (sender_id, sender) = who(line.who);
        let at = sent_at(line, now_ms);
        let appended = room::append(
            env,
            &Append {
                conversation: id.to_owned(),
                sender_id: sender_id.to_owned(),
                sender: sender.to_owned(),
                client_id: format!("demo-{}", i + 1),
                body: line.text.to_owned(),
                reply_to: line.reply_to,
                media: None,
                media_taken: false,
                sticker: None,
                floor: 0,
                now_ms: at,
            },
        )
        .await?;
        let seq = appended.message.seq;
        store::record_message(db, id, sender_id, seq, at).await?;
        search::index(db, id, seq, sender, at, line.text).await?;
    }
    Ok(lines.len())
}
