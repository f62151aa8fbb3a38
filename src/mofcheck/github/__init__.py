"""The GitHub front: the Actions environment (env), the runner's files (runner), what to publish (content)
and publishing it with PyGithub (publish). Only `publish` imports PyGithub, and only inside functions."""
