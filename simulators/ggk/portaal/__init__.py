"""The GGk portal as people use it (issue 8, part 1): an eHerkenning login simulation,
server-side sessions, the CBS role granted by a gemeente's user-administrator, the CBS tab
with upload, downloads, opt-in, withdrawal and notifications, and an append-only audit log.

``regels`` holds the state and rules (no Flask; mixed into the GGk backend), ``identiteiten``
the fixed test identities, ``views`` the blueprint with its Jinja templates. The pages call
the same backend methods as the JSON web service (``Ggk.upload``, ``Ggk.optin``, ...), so
the portal is a second face of one GGk, not a second GGk. See docs/portaal.md.
"""
