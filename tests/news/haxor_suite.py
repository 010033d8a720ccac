"""Dozen News through haxor (haxor==1.2.4, the most used Python client of HN's read API),
unchanged but for its base URL: items, users, the six lists, maxitem, updates and the last
items, read with its synchronous (requests) and asynchronous (aiohttp) paths, and `null`
turned into its own InvalidItemID / InvalidUserID.

The data is made through Dozen's own API (/api/news), as a person would on the site; then only
haxor reads it. Run by tests/e2e/news-haxor.test.mjs against `wrangler dev` at DOZEN_BASE_URL,
in .dozen/venv-haxor: haxor pins aiohttp 3.9.1 and ships a top-level `tests` package, so it
gets a venv of its own (scripts/install.sh), and this file is run as a script, not as
`tests.news`.
"""

import os
import secrets
import sys
import time
import unittest
from datetime import datetime
from urllib.parse import urljoin

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from dev_http import DevSession, base_url  # noqa: E402
from hackernews import HackerNews, InvalidItemID, InvalidUserID  # noqa: E402

PASSWORD = "correct horse battery"


def person():
    """A new Dozen account, signed in: (username, session)."""
    session = DevSession()
    username = ("hx" + secrets.token_hex(6))[:32]
    res = session.post(
        f"{base_url()}/api/auth/register",
        json={"username": username, "email": f"{username}@example.com", "password": PASSWORD},
        timeout=30,
    )
    if res.status_code != 201:
        raise AssertionError(f"sign-up failed: {res.status_code} {res.text[:300]}")
    return username, session


def made(res, status=201):
    if res.status_code != status:
        raise AssertionError(f"expected {status}, got {res.status_code}: {res.text[:300]}")
    return res.json()


def haxor():
    """haxor's client, pointed at Dozen instead of hacker-news.firebaseio.com."""
    hn = HackerNews()
    hn.base_url = base_url() + "/v0/"
    hn.item_url = urljoin(hn.base_url, "item/")
    hn.user_url = urljoin(hn.base_url, "user/")
    hn.session = DevSession()
    return hn


class HaxorReadsDozenNews(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.started = time.time()
        api = base_url() + "/api/news"
        cls.ann, ann = person()
        cls.bob, bob = person()
        tag = secrets.token_hex(4)
        cls.link = made(ann.post(f"{api}/stories", json={
            "title": f"A link from haxor's suite {tag}", "url": f"https://example.com/haxor/{tag}",
        }, timeout=30))["story"]
        cls.ask = made(ann.post(f"{api}/stories", json={
            "title": f"Ask HN: does haxor read Dozen {tag}?",
            "text": "It should. <script>alert(1)</script>\n\nSee *this* and https://example.com/x",
        }, timeout=30))["story"]
        cls.comment = made(bob.post(f"{api}/comments", json={"parent": cls.link["id"], "text": "A comment"}, timeout=30))
        cls.reply = made(ann.post(f"{api}/comments", json={"parent": cls.comment["id"], "text": "A reply"}, timeout=30))
        made(bob.post(f"{api}/items/{cls.link['id']}/vote", json={"direction": "up"}, timeout=30), 200)
        cls.hn = haxor()

    def test_a_story_reads_as_hn_item(self):
        item = self.hn.get_item(self.link["id"])
        self.assertEqual(item.item_id, self.link["id"])
        self.assertEqual(item.item_type, "story")
        self.assertEqual(item.by, self.ann)
        self.assertEqual(item.title, self.link["title"])
        self.assertEqual(item.url, self.link["url"])
        self.assertEqual(item.score, 2)
        self.assertEqual(item.descendants, 2)
        self.assertEqual(item.kids, [self.comment["id"]])
        self.assertIsNone(item.deleted)
        self.assertIsNone(item.dead)
        self.assertIsInstance(item.time, datetime)
        self.assertLess(abs(item.time.timestamp() - self.started), 120)

    def test_expand_follows_the_author_and_the_kids(self):
        item = self.hn.get_item(self.link["id"], expand=True)
        self.assertEqual(item.by.user_id, self.ann)
        self.assertEqual([kid.item_id for kid in item.kids], [self.comment["id"]])
        kid = item.kids[0]
        self.assertEqual((kid.item_type, kid.by, kid.parent, kid.text), ("comment", self.bob, self.link["id"], "A comment"))
        self.assertEqual(kid.kids, [self.reply["id"]])
        reply = self.hn.get_item(self.reply["id"], expand=True)
        self.assertEqual(reply.parent.item_id, self.comment["id"])

    def test_text_is_hns_html_with_markup_inert(self):
        item = self.hn.get_item(self.ask["id"])
        self.assertIsNone(item.url)
        self.assertNotIn("<script>", item.text)
        self.assertIn("&lt;script&gt;", item.text)
        self.assertIn("<i>this</i>", item.text)
        self.assertIn("<p>", item.text)

    def test_an_unknown_item_or_user_is_null_and_haxor_says_so(self):
        with self.assertRaises(InvalidItemID):
            self.hn.get_item(self.hn.get_max_item() + 1_000_000)
        with self.assertRaises(InvalidUserID):
            self.hn.get_user("nobody" + secrets.token_hex(4))

    def test_a_user_and_what_they_submitted(self):
        user = self.hn.get_user(self.ann, expand=True)
        self.assertEqual(user.user_id, self.ann)
        self.assertIsInstance(user.karma, int)
        self.assertGreaterEqual(user.karma, 1, "bob's upvote")
        self.assertLess(abs(user.created.timestamp() - self.started), 120)
        for id_ in (self.link["id"], self.ask["id"], self.reply["id"]):
            self.assertIn(id_, user.submitted)
        self.assertEqual(user.submitted, sorted(user.submitted, reverse=True), "newest first")
        self.assertEqual({s.item_id for s in user.stories}, {self.link["id"], self.ask["id"]})
        self.assertEqual([c.item_id for c in user.comments], [self.reply["id"]])

    def test_the_lists_as_items(self):
        top = [s.item_id for s in self.hn.top_stories(limit=500)]
        self.assertIn(self.link["id"], top)
        # Other suites post to the same server meanwhile: newest first, and ours among them.
        newest = [s.item_id for s in self.hn.new_stories(limit=500)]
        self.assertEqual(newest, sorted(newest, reverse=True))
        self.assertLess(newest.index(self.ask["id"]), newest.index(self.link["id"]))
        self.assertIn(self.ask["id"], [s.item_id for s in self.hn.ask_stories(limit=500)])
        self.assertNotIn(self.link["id"], [s.item_id for s in self.hn.ask_stories(limit=500)])
        self.assertIsInstance(self.hn.show_stories(limit=5), list)
        self.assertEqual(self.hn.job_stories(), [])
        raw = self.hn.top_stories(raw=True, limit=3)
        self.assertTrue(all(isinstance(r, str) and '"type": "story"' in r for r in raw), raw)

    def test_maxitem_updates_and_the_last_items(self):
        max_id = self.hn.get_max_item()
        self.assertGreaterEqual(max_id, self.reply["id"])
        newest = self.hn.get_max_item(expand=True)
        self.assertEqual(newest.item_id, max_id)
        last = self.hn.get_last(num=5)
        self.assertTrue(1 <= len(last) <= 5)
        self.assertTrue(all(item.item_id > max_id - 5 for item in last))
        # What changed lately, as haxor's objects (other suites' changes may have pushed ours out).
        updates = self.hn.updates()
        self.assertTrue(updates["items"] and all(isinstance(i.item_id, int) for i in updates["items"]))
        self.assertTrue(updates["profiles"] and all(u.user_id and u.karma is not None for u in updates["profiles"]))


if __name__ == "__main__":
    unittest.main(verbosity=2)
