//! `/api/chat/conversations`: direct conversations (one per pair) and groups (up to 256
//! members, run by admins). Whoever is not a member gets 404 for all of it: not theirs to see.

use crate::{
    auth::{identity, store::UserRow},
    chat::{
        contacts::{person, relation},
        messages::reaches_others,
        room,
        store::{
            contacts as contacts_store,
            conversations::{self as store, ConversationRow, MemberRow},
            search::{self as search_store, Latest},
        },
    },
    http::{json, no_content, read_json, ApiResult, Cx},
    password::random,
};
use shared::{
    auth::validation::normalize_username,
    chat::{
        contacts::Side,
        members::{direct_pair_key, group_title, new_group, require_admin, room_for, Member},
        receipts::{as_shown, Marks},
        rest::{
            AddMembers, ConversationList, ConversationView, CreateConversation, Kind, LastMessage,
            MemberReceipt, MemberView, ReceiptList, RenameConversation, MAX_NAMED,
        },
    },
    error::ErrorEnvelope,
    ids::TimeId,
    time::Timestamp,
    ApiError, ErrorCode,
};
use worker::{D1Database, Request};

/// The most conversations a list answers.
const LIST_LIMIT: i64 = 200;

/// Starts a direct conversation (the existing one with that person, if any: 200) or a group.
#[utoipa::path(post, path = "/api/chat/conversations", tag = "chat", request_body = CreateConversation,
    security(("session" = []), ("api_key" = [])),
    responses((status = 201, body = ConversationView), (status = 200, body = ConversationView, description = "The existing direct conversation"),
              (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope),
              (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn create(req: &mut Request, cx: &Cx) -> ApiResult {
    let me = identity::require(req, cx).await?.user;
    let body = read_json::<CreateConversation>(req).await?;
    let db = cx.db()?;
    let new_id = TimeId::new(cx.now_ms, random::<10>()?).to_string();
    match body.kind {
        Kind::Direct => {
            let [username] = body.members.as_slice() else {
                return Err(ApiError::invalid("members", "A direct conversation is with one other person."));
            };
            let them = person(&db, username).await?;
            if them.id == me.id {
                return Err(ApiError::invalid("members", "That is you."));
            }
            let (relation, side) = relation(&db, &me.id, &them.id).await?;
            if relation.status(side) == shared::chat::contacts::Status::Blocked {
                return Err(ApiError::new(ErrorCode::Conflict, "You blocked them; unblock them first."));
            }
            // Someone who blocks the caller is not put in the conversation (nor told).
            let theirs = relation.may_reach(side).then_some(them.id.as_str());
            // A pair has one plain and one encrypted direct conversation.
            let pair = direct_pair_key(&me.id, &them.id);
            let pair = if body.encrypted { format!("{pair}:e2ee") } else { pair };
            let id = store::direct(&db, &new_id, &pair, &me.id, theirs, body.encrypted, cx.now_ms).await?;
            json(if id == new_id { 201 } else { 200 }, &view_of(&db, &id, &me).await?)
        }
        Kind::Group => {
            let title = group_title(body.title.as_deref().unwrap_or_default())?;
            let others = people(&db, &me, &body.members, "members").await?;
            let members = new_group(&me.id, &others, cx.now_ms)?;
            store::group(&db, &new_id, &title, &me.id, &members, body.encrypted, cx.now_ms).await?;
            json(201, &view_of(&db, &new_id, &me).await?)
        }
    }
}

/// The people named (each once; the caller left out), every one of whom lets the caller add
/// them to a group; `field` names the list in errors. Three queries however many are named.
async fn people(
    db: &D1Database,
    me: &UserRow,
    usernames: &[String],
    field: &str,
) -> Result<Vec<String>, ApiError> {
    let at = |err: ApiError| ApiError { field: Some(field.to_owned()), ..err };
    if usernames.len() > MAX_NAMED {
        return Err(ApiError::invalid(field, format!("Name at most {MAX_NAMED} people at once.")));
    }
    let mut names = Vec::new();
    for username in usernames {
        let name = normalize_username(username).map_err(|_| at(nobody(username)))?;
        if !names.contains(&name) {
            names.push(name);
        }
    }
    let found = store::users_named(db, &names).await?;
    if let Some(missing) = names.iter().find(|name| found.iter().all(|(_, found)| &found != name)) {
        return Err(at(nobody(missing)));
    }
    let others: Vec<(String, String)> = found.into_iter().filter(|(id, _)| id != &me.id).collect();
    let ids: Vec<String> = others.iter().map(|(id, _)| id.clone()).collect();
    let relations = contacts_store::relations_with(db, &me.id, &ids).await?;
    let contacts_only = contacts_store::contacts_only_adders(db, &ids).await?;
    for (id, username) in &others {
        let relation = relations.iter().find(|(other, _)| other == id).map(|(_, r)| *r).unwrap_or_default();
        if !relation.may_add_to_group(Side::of(&me.id, id), contacts_only.contains(id)) {
            // One answer for a block either way and for "contacts only": nothing is announced.
            return Err(at(ApiError::new(
                ErrorCode::Forbidden,
                format!("You can't add {username}: they choose who can add them to groups."),
            )));
        }
    }
    Ok(ids)
}

fn nobody(username: &str) -> ApiError {
    ApiError::not_found(format!("No one is called {}.", username.chars().take(40).collect::<String>()))
}

/// The caller's conversations, newest activity first.
#[utoipa::path(get, path = "/api/chat/conversations", tag = "chat", security(("session" = []), ("api_key" = [])),
    responses((status = 200, body = ConversationList), (status = 401, body = ErrorEnvelope)))]
pub async fn list(req: &mut Request, cx: &Cx) -> ApiResult {
    let me = identity::require(req, cx).await?.user;
    let db = cx.db()?;
    let conversations = store::of_user(&db, &me.id, LIST_LIMIT).await?;
    let members = store::members_of_users_conversations(&db, &me.id, LIST_LIMIT).await?;
    let latest = search_store::latest(&db, &me.id, None).await?;
    let items = conversations
        .iter()
        .map(|c| {
            let of_it: Vec<MemberRow> =
                members.iter().filter(|m| m.conversation_id == c.id).cloned().collect();
            let last = latest.iter().find(|l| l.conversation_id == c.id);
            view(c, &of_it, &me, last)
        })
        .collect();
    json(200, &ConversationList { items })
}

/// One conversation of the caller's, with its members.
#[utoipa::path(get, path = "/api/chat/conversations/{id}", tag = "chat", params(("id" = String, Path)),
    security(("session" = []), ("api_key" = [])),
    responses((status = 200, body = ConversationView), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn get(req: &mut Request, cx: &Cx, id: &str) -> ApiResult {
    let me = identity::require(req, cx).await?.user;
    json(200, &view_of(&cx.db()?, id, &me).await?)
}

/// Where each member stands in a conversation of the caller's: their own marks as they are,
/// the others' as they may be seen (reading kept private shows as delivery; across a block in a
/// direct conversation, nothing).
#[utoipa::path(get, path = "/api/chat/conversations/{id}/receipts", tag = "chat", params(("id" = String, Path)),
    security(("session" = []), ("api_key" = [])),
    responses((status = 200, body = ReceiptList), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn receipts(req: &mut Request, cx: &Cx, id: &str) -> ApiResult {
    let me = identity::require(req, cx).await?.user;
    let db = cx.db()?;
    let (conversation, members) = member_of(&db, id, &me.id).await?;
    let private = contacts_store::private_readers(&db, &conversation.id).await?;
    let mut items = Vec::with_capacity(members.len());
    for member in &members {
        let marks = if member.user_id == me.id {
            member.marks()
        } else if reaches_others(&db, &conversation, &members, &member.user_id).await? {
            as_shown(member.marks(), !private.contains(&member.user_id))
        } else {
            Marks::default()
        };
        items.push(MemberReceipt {
            user: member.username.clone(),
            delivered_seq: marks.delivered_seq,
            read_seq: marks.read_seq,
        });
    }
    json(200, &ReceiptList { items })
}

/// Renames a group (its admins).
#[utoipa::path(patch, path = "/api/chat/conversations/{id}", tag = "chat", params(("id" = String, Path)),
    request_body = RenameConversation, security(("session" = []), ("api_key" = [])),
    responses((status = 200, body = ConversationView), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
              (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn rename(req: &mut Request, cx: &Cx, id: &str) -> ApiResult {
    let me = identity::require(req, cx).await?.user;
    let body = read_json::<RenameConversation>(req).await?;
    let db = cx.db()?;
    let (conversation, members) = group_of(&db, id, &me).await?;
    require_admin(&members, &me.id)?;
    if !store::rename(&db, &conversation.id, &me.id, &group_title(&body.title)?).await? {
        return Err(no_longer_admin());
    }
    json(200, &view_of(&db, id, &me).await?)
}

/// Adds people to a group (its admins).
#[utoipa::path(post, path = "/api/chat/conversations/{id}/members", tag = "chat", params(("id" = String, Path)),
    request_body = AddMembers, security(("session" = []), ("api_key" = [])),
    responses((status = 200, body = ConversationView), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
              (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn add_members(req: &mut Request, cx: &Cx, id: &str) -> ApiResult {
    let me = identity::require(req, cx).await?.user;
    let body = read_json::<AddMembers>(req).await?;
    let db = cx.db()?;
    let (conversation, members) = group_of(&db, id, &me).await?;
    require_admin(&members, &me.id)?;
    let mut newcomers = people(&db, &me, &body.usernames, "usernames").await?;
    newcomers.retain(|user| members.iter().all(|m| &m.user_id != user));
    room_for(&members, newcomers.len()).map_err(|e| ApiError { field: Some("usernames".into()), ..e })?;
    // Their history starts after the room's last message, even one D1 has not recorded yet.
    let last_seq = room::last_seq(&cx.env, &conversation.id).await?;
    if store::add(&db, &conversation.id, &me.id, &newcomers, last_seq, cx.now_ms).await? < newcomers.len() {
        // Nothing or not all went in: see why, now.
        let (_, now) = group_of(&db, id, &me).await?;
        require_admin(&now, &me.id)?;
        if !newcomers.iter().all(|user| now.iter().any(|m| &m.user_id == user)) {
            return Err(ApiError::invalid("usernames", "The group is full."));
        }
    }
    json(200, &view_of(&db, id, &me).await?)
}

/// Removes someone from a group (its admins), or leaves it (anyone, naming themselves). When
/// the last admin goes, the member who joined first becomes admin.
#[utoipa::path(delete, path = "/api/chat/conversations/{id}/members/{username}", tag = "chat",
    params(("id" = String, Path), ("username" = String, Path)), security(("session" = []), ("api_key" = [])),
    responses((status = 204), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
              (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn remove_member(req: &mut Request, cx: &Cx, id: &str, username: &str) -> ApiResult {
    let me = identity::require(req, cx).await?.user;
    let db = cx.db()?;
    let (conversation, members) = group_of(&db, id, &me).await?;
    let them = person(&db, username).await?;
    if them.id != me.id {
        require_admin(&members, &me.id)?;
    }
    if !members.iter().any(|m| m.user_id == them.id) {
        return Err(ApiError::not_found("They are not in this group."));
    }
    if !store::remove(&db, &conversation.id, &me.id, &them.id).await? && them.id != me.id {
        return Err(no_longer_admin());
    }
    no_content()
}

/// Makes a member an admin (its admins).
#[utoipa::path(post, path = "/api/chat/conversations/{id}/admins/{username}", tag = "chat",
    params(("id" = String, Path), ("username" = String, Path)), security(("session" = []), ("api_key" = [])),
    responses((status = 200, body = ConversationView), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
              (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn make_admin(req: &mut Request, cx: &Cx, id: &str, username: &str) -> ApiResult {
    let me = identity::require(req, cx).await?.user;
    let db = cx.db()?;
    let (conversation, members) = group_of(&db, id, &me).await?;
    require_admin(&members, &me.id)?;
    let them = person(&db, username).await?;
    if !members.iter().any(|m| m.user_id == them.id) {
        return Err(ApiError::not_found("They are not in this group."));
    }
    if !store::make_admin(&db, &conversation.id, &me.id, &them.id).await? {
        return Err(no_longer_admin());
    }
    json(200, &view_of(&db, id, &me).await?)
}

/// A conversation the caller is in, with its members; 404 otherwise.
pub async fn member_of(
    db: &D1Database,
    id: &str,
    me: &str,
) -> Result<(ConversationRow, Vec<MemberRow>), ApiError> {
    let missing = || ApiError::not_found("No such conversation.");
    let conversation = store::get(db, id).await?.ok_or_else(missing)?;
    let members = store::members(db, id).await?;
    if !members.iter().any(|m| m.user_id == me) {
        return Err(missing());
    }
    Ok((conversation, members))
}

/// The caller's own row among a conversation's members (`member_of` found it there).
pub fn my_row<'a>(members: &'a [MemberRow], me: &str) -> Result<&'a MemberRow, ApiError> {
    members.iter().find(|m| m.user_id == me).ok_or_else(ApiError::internal)
}

/// A group the caller is in, with its members as the shared rules take them.
async fn group_of(
    db: &D1Database,
    id: &str,
    me: &UserRow,
) -> Result<(ConversationRow, Vec<Member>), ApiError> {
    let (conversation, members) = member_of(db, id, &me.id).await?;
    if conversation.kind != "group" {
        return Err(ApiError::new(ErrorCode::Conflict, "A direct conversation is always its two people."));
    }
    Ok((conversation, members.iter().map(MemberRow::member).collect()))
}

/// An admin's change that found them no longer an admin (removed or demoted meanwhile).
fn no_longer_admin() -> ApiError {
    ApiError::new(ErrorCode::Forbidden, "Only the group's admins can do this.")
}

async fn view_of(db: &D1Database, id: &str, me: &UserRow) -> Result<ConversationView, ApiError> {
    let (conversation, members) = member_of(db, id, &me.id).await?;
    let latest = search_store::latest(db, &me.id, Some(&conversation.id)).await?;
    Ok(view(&conversation, &members, me, latest.first()))
}

fn view(
    conversation: &ConversationRow,
    members: &[MemberRow],
    me: &UserRow,
    last: Option<&Latest>,
) -> ConversationView {
    let direct = conversation.kind == "direct";
    let title = if direct {
        members.iter().find(|m| m.user_id != me.id).map(|m| m.display_name.clone()).unwrap_or_default()
    } else {
        conversation.title.clone()
    };
    let last_seq = u64::try_from(conversation.last_seq).unwrap_or(0);
    let read_seq =
        members.iter().find(|m| m.user_id == me.id).map_or(0, |m| u64::try_from(m.read_seq).unwrap_or(0));
    let marks = Marks { delivered_seq: read_seq, read_seq };
    ConversationView {
        id: conversation.id.clone(),
        kind: if direct { Kind::Direct } else { Kind::Group },
        title,
        members: members
            .iter()
            .map(|m| MemberView {
                username: m.username.clone(),
                display_name: m.display_name.clone(),
                role: m.member().role,
                joined_at: Timestamp(m.joined_at).to_rfc3339(),
            })
            .collect(),
        last_seq,
        unread: marks.unread(last_seq),
        encrypted: conversation.encrypted != 0,
        last_message: last.map(|l| LastMessage {
            seq: u64::try_from(l.seq).unwrap_or(0),
            sender: l.sender.clone(),
            body: l.body.clone(),
            sent_at: Timestamp(l.sent_at).to_rfc3339(),
        }),
        created_at: Timestamp(conversation.created_at).to_rfc3339(),
    }
}
