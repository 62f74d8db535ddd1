"""The web editor at /admin/: Decap CMS, configured from the models, that saves fiches as pull requests
(cms_config.py, fields.py), the files of the admin page (admin.py), and the local backend that lets
`fichegen serve --editor` save into content/ without GitHub (local_backend.py)."""
