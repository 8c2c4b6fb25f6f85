"""What a person or another program sees: tables, JSON, CSV, Markdown, workbooks, the bulletin and
calendars, made from the plain data the core returns. Every value passes the gates of :mod:`gkcli.text`."""
