-- Migration 0006: the breaker board and the audit trail's evidence.
--
-- Like 0001 and 0003 to 0005 it runs in one transaction as a superuser (or the database owner)
-- and changes no existing name or signature: every caller of version 5 keeps working.
--
-- Contract changes (schema version 6):
--
--   column
--     actions.evidence   jsonb NULL: what the console showed the person when they acted (for
--                        a rollback the canary verdict, for a cap change the spend and burn
--                        rate, for a breaker override its failure rate and calls), as they
--                        saw it. A JSON object of at most 16 KiB nested at most 4 levels
--                        (pitwall.require_evidence). Null for actions taken without a page
--                        (scripts, versions before 6).
--
--   functions
--     pitwall.act_*(..., p_evidence jsonb) RETURNS jsonb
--         Every act_* function gains an overload with the evidence as one more, last argument:
--         it checks the evidence, takes the action through the function without it, and stores
--         the evidence with the action unless the call was a replay of an action already
--         recorded (whose evidence stays what it was). Granted to the same roles as the
--         function it wraps. An act_* function added by a later migration needs its own.
--     pitwall.require_evidence(jsonb)
--
--   indexes
--     actions_breaker_idx     each tool's latest override, for the breaker board
--     breaker_events_tool_idx a tool's history, newest first
--     actions_reason_trgm_idx trigrams of the reasons (pg_trgm), for the audit trail's free
--                             text: made only where the server offers pg_trgm; without it
--                             the filter reads the actions in time order, as before
--
--   Redis (written by breaker_allow.lua and breaker_record.lua when given their optional keys)
--     pitwall:breakers                         set: every tool that has a breaker
--     pitwall:breaker_calls:{tool}:{minute}    hash calls, failures, rejected of one minute
--                                              (now_ms / 60000), expiring 1200 s after its
--                                              last write
--     pitwall:breaker:{tool} since_ms          when the shown state began

ALTER TABLE pitwall.actions ADD COLUMN evidence jsonb NULL;
COMMENT ON COLUMN pitwall.actions.evidence IS
    'what the console showed when the action was taken (pitwall.require_evidence bounds it)';

CREATE INDEX actions_breaker_idx ON pitwall.actions (target, requested_at DESC)
    WHERE kind = 'override_breaker';
CREATE INDEX breaker_events_tool_idx ON pitwall.breaker_events (tool, at DESC, id DESC);

DO $$
DECLARE
    trgm_schema name;
BEGIN
    IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm') THEN
        CREATE EXTENSION IF NOT EXISTS pg_trgm;
        SELECT n.nspname INTO trgm_schema
          FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
         WHERE e.extname = 'pg_trgm';
        EXECUTE format('CREATE INDEX actions_reason_trgm_idx ON pitwall.actions'
                       ' USING gin (reason %I.gin_trgm_ops)', trgm_schema);
    END IF;
END
$$;

CREATE FUNCTION pitwall.require_evidence(p_evidence jsonb)
RETURNS void
LANGUAGE plpgsql IMMUTABLE SET search_path = pitwall, pg_temp
AS $$
BEGIN
    IF p_evidence IS NULL THEN
        RETURN;
    END IF;
    IF jsonb_typeof(p_evidence) <> 'object' THEN
        RAISE EXCEPTION 'the evidence must be a JSON object, not %', jsonb_typeof(p_evidence)
            USING ERRCODE = 'PW004';
    END IF;
    IF octet_length(p_evidence::text) > 16384 THEN
        RAISE EXCEPTION 'the evidence is at most 16384 bytes, not %',
            octet_length(p_evidence::text)
            USING ERRCODE = 'PW004';
    END IF;
    -- Level 0 is the object itself; a value at level 5 is nested five deep.
    IF jsonb_path_exists(p_evidence, 'strict $.**{5 to last}') THEN
        RAISE EXCEPTION 'the evidence is nested at most 4 levels deep'
            USING ERRCODE = 'PW004';
    END IF;
END
$$;
REVOKE EXECUTE ON FUNCTION pitwall.require_evidence(jsonb) FROM PUBLIC;

-- One overload with p_evidence per act_* function, made from the catalogue so that none is
-- missed. Skipped: a function whose overload would take the same number of arguments as
-- another overload of its name (act_rollback of version 1 beside version 4's, which takes
-- p_in_flight text last): a text argument would become ambiguous.
DO $$
DECLARE
    f        record;
    call_args text;
    grantee  record;
BEGIN
    FOR f IN
        SELECT p.oid, p.proname, p.pronargs, pg_get_function_identity_arguments(p.oid) AS args
          FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
         WHERE n.nspname = 'pitwall' AND p.proname LIKE 'act\_%'
           AND p.prorettype = 'jsonb'::regtype
           AND NOT EXISTS (SELECT 1 FROM pg_proc q
                            WHERE q.pronamespace = p.pronamespace AND q.proname = p.proname
                              AND q.pronargs = p.pronargs + 1)
    LOOP
        SELECT string_agg('$' || i, ', ' ORDER BY i) INTO call_args
          FROM generate_series(1, f.pronargs) AS i;
        EXECUTE format(
            'CREATE FUNCTION pitwall.%I(%s, p_evidence jsonb) RETURNS jsonb'
            ' LANGUAGE plpgsql SECURITY DEFINER SET search_path = pitwall, pg_temp AS $body$'
            ' DECLARE result jsonb;'
            ' BEGIN'
            '   PERFORM pitwall.require_evidence(p_evidence);'
            '   result := pitwall.%I(%s);'
            '   IF p_evidence IS NOT NULL AND NOT coalesce((result->>''replayed'')::boolean, false)'
            '   THEN'
            '     UPDATE pitwall.actions SET evidence = p_evidence WHERE action_id = $1;'
            '   END IF;'
            '   RETURN result;'
            ' END $body$',
            f.proname, f.args, f.proname, call_args);
        EXECUTE format('REVOKE EXECUTE ON FUNCTION pitwall.%I(%s, jsonb) FROM PUBLIC',
                       f.proname, f.args);
        FOR grantee IN
            SELECT DISTINCT r.rolname
              FROM pg_proc p, aclexplode(p.proacl) a JOIN pg_roles r ON r.oid = a.grantee
             WHERE p.oid = f.oid AND a.privilege_type = 'EXECUTE'
        LOOP
            EXECUTE format('GRANT EXECUTE ON FUNCTION pitwall.%I(%s, jsonb) TO %I',
                           f.proname, f.args, grantee.rolname);
        END LOOP;
    END LOOP;
END
$$;
