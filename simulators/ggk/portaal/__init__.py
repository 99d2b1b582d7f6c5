"""The GGk portal as people use it (issue 8, part 1): an eHerkenning login simulation,
server-side sessions, the CBS role granted by a gemeente's user-administrator, the CBS tab
with upload, downloads, opt-in, withdrawal and notifications, and an append-only audit log.

``backend`` holds the decisions (who may log in and do what; no Flask; composed into the
GGk as ``Ggk.portaal``), ``sessions`` the sessions, ``identities`` the fixed test
identities, ``pages`` what each page shows, ``views`` the blueprint with its Jinja
templates. The actions call the same desks as the JSON web service, so the portal is a
second face of one GGk, not a second GGk. See docs/portaal.md.
"""
