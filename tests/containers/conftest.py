"""The container tier: the built image, run by Docker against the fake Discord.

Not collected by the README's ``pytest``: it needs a Docker daemon and a built image. CI
(``.ci/run``) builds one with ``.ci/build-image`` and sets ``AUGURY_IMAGE`` to its tag for
test_image.py, and ``AUGURY_ROOTFS`` to the image's filesystem (exported, or built without Docker
when no daemon can run) for test_image_filesystem.py.
"""

from __future__ import annotations

import os

collect_ignore_glob = [
    name
    for name, env in (
        ("test_image.py", "AUGURY_IMAGE"),
        ("test_image_filesystem.py", "AUGURY_ROOTFS"),
    )
    if not os.environ.get(env)
]
