"""`streamlit run serve.py`: the dashboard (app.py), its caches filled before the first reader arrives.

Streamlit runs a page's script only when a reader opens it, so the first reader after a start used to pay for the
imports, the warehouse's first queries and every figure of the page (3.4 s for the overview in Chromium on a
2-core machine). st.App's lifespan runs `dashboard.warmup` once the server is up and before it answers, for the
latest report in both languages; `streamlit run app.py` still works, without the warm-up."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
import streamlit as st


@asynccontextmanager
async def lifespan(_app: st.App) -> AsyncIterator[None]:
    from dashboard import admin, shell, warmup  # noqa: F401  app.py's imports: paid here, not by the first reader

    await anyio.to_thread.run_sync(warmup.warm)
    yield


app = st.App("app.py", lifespan=lifespan)
