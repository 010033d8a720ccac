// Lockers' staff for the e2e suites: the suites' server names `locker_admin` in LOCKERS_ADMINS and
// `locker_courier` in LOCKERS_COURIERS (tests/support/server.mjs). Whichever suite comes first
// registers them; the others sign in.
import { login, request } from "./api.mjs";

const PASSWORD = "correct horse battery";

/** The staff account `name`, signed in: `{ jar, user }`. */
export async function staff(name) {
  const made = await request("POST", "/api/auth/register", {
    body: { username: name, email: `${name}@example.com`, password: PASSWORD },
  });
  if (made.status !== 201 && made.status !== 409) throw new Error(`registering ${name}: ${made.status} ${made.text}`);
  const signedIn = await login(name, PASSWORD);
  if (signedIn.status !== 200) throw new Error(`signing in ${name}: ${signedIn.status} ${signedIn.text}`);
  return { jar: signedIn.jar, user: signedIn.json.user ?? signedIn.json };
}
