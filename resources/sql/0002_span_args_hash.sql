-- Migration 0002: a tool call's argument hash, kept with the span.
--
-- The trace viewer finds repeated tool calls (loops) by comparing the hashes of their
-- arguments. Hashing every tool span's input at read time made the server detoast and hash
-- each input again on every open of a trace: about a sixth of the time of loading a
-- million-span skeleton, and far more when inputs are large. A stored generated column hashes
-- the input once, when the span is written, whoever writes it (the guard, an OTLP import, an
-- agent in another language); writers need not change. NULL for spans that are not tool calls.
--
-- Adding a stored column rewrites pitwall.spans once (an exclusive lock for the duration).
ALTER TABLE pitwall.spans
    ADD COLUMN args_hash bigint GENERATED ALWAYS AS (
        CASE WHEN kind = 'tool' THEN hashtextextended(coalesce(input, ''), 0) END) STORED;

COMMENT ON COLUMN pitwall.spans.args_hash IS
    'hashtextextended(input, 0) of a tool call (kind = tool), NULL otherwise; generated';
