-- Migration 0003: the contract holds against its own logins.
--
-- A probe of schema version 2 with ordinary logins of each role found that the database
-- trusted its callers too much: a viewer could mark an operator's action as applied to Redis
-- (so no console ever applied it), NaN and Infinity passed as amounts, reasons made only of
-- invisible characters passed as reasons, and an agent login could rewrite history (end a
-- killed run as succeeded, clear its kill, zero its cost, rewrite its spans, record a breaker
-- change in an operator's name). This migration closes each hole and its class. Like 0001 it
-- runs in one transaction as a superuser (or the database owner), holds plain SQL only and
-- changes no existing name or signature: every well-behaved caller of version 2 keeps
-- working, except a console logged in as a viewer, which no longer marks actions as mirrored
-- (it can still apply them to Redis; a console of the action's role marks them).
--
-- Contract changes (schema version 3):
--
--   columns
--     actions.mirrored_by   text NULL      the login that marked the action mirrored
--                                          (session_user); NULL before version 3
--     runs.written_by       text NOT NULL  the login that inserted the run, set by a trigger
--                                          (whatever the client sends); '' for runs written
--                                          before version 3 (unknown)
--     breaker_events.written_by  text NOT NULL  likewise
--
--   function
--     pitwall.spend_seed(p_scope text, p_subject text, p_day date) RETURNS bigint
--         Micro-dollars spent by a scope in one UTC day, to re-seed a spend counter after Redis
--         lost it: the cost_usd of the scope's runs that ended in [p_day, p_day + 1) UTC, plus
--         the cost so far (the sum of spans.cost_usd) of its runs still running that started
--         before the end of that day. Scopes: 'user' (runs.user_id = subject), 'agent'
--         (runs.agent = subject), 'global' (subject '*': every run). For pitwall_agent and
--         pitwall_viewer (and so operators and budget owners); anyone else PW001. PW004 for
--         a bad scope, a subject that is empty, invisible, over 200 characters or not '*' for
--         global, a day outside 1970-01-01..9999-12-31. PW006 when a cost it sums is NaN
--         (possible only in rows older than this migration). Never negative; a sum beyond
--         bigint is returned as the largest bigint (it is over every cap anyway).
--     pitwall.is_kill_of(p_action_id uuid, p_run_id uuid) RETURNS boolean
--         Whether the action is a kill_run recorded for that run; for the runs trigger,
--         which runs with an agent's privileges (agents no longer read the audit log).
--     pitwall.has_visible_char(text), pitwall.require_visible(text, text, int),
--     pitwall.require_usd(numeric, text), pitwall.runs_guard(), pitwall.breaker_events_guard()
--         internal helpers and trigger functions, executable by no one but the owner.
--
--   indexes
--     runs_user_ended_idx (user_id, ended_at), runs_ended_idx (ended_at), for spend_seed.
--
--   rules, with the SQLSTATEs of 0001 (PW001 role, PW002 stale, PW003 unknown,
--   PW004 invalid input, PW005 action id reused, PW006 state does not allow it)
--     mark_mirrored      needs pitwall_budget_owner for set_cap and cap_expired actions,
--                        pitwall_operator for every other kind (PW001, naming the role); the
--                        outcome must be a JSON object (PW004) of at most 4096 bytes (PW004).
--                        An unknown action id still returns false, for either role.
--     amounts            every amount of every act_* function (act_set_cap's daily and
--                        per-request caps) must be a finite number (NaN, Infinity and
--                        -Infinity are refused, PW004) of at most 99999999.999999, the largest
--                        value numeric(14,6) holds ("... may be at most 99999999.999999 USD,
--                        not N", PW004), instead of PostgreSQL's bare "numeric field overflow".
--     times              p_expires_at (act_set_cap) and p_until (act_override_breaker) must be
--                        finite: 'infinity' is refused (PW004) instead of a cap or override
--                        that never ends.
--     reasons            at most 2000 characters and at least one visible character: "a reason
--                        must contain a visible character", "a reason may be at most 2000
--                        characters, not N" (PW004). Spaces, control characters, no-break and
--                        other Unicode spaces, zero-width and other default-ignorable format
--                        characters, Hangul fillers and the Braille blank are not visible.
--                        Also a CHECK on actions.reason (actions_reason_visible), so no
--                        writer bypasses it; actions requested before this migration keep
--                        the rule they were recorded under.
--     names              act_set_cap's subject, act_override_breaker's tool and
--                        register_version's agent, version and model: the same visible rule,
--                        at most 200 characters (PW004); the prompt sha at most 200.
--     money columns      CHECKs: spend_caps.daily_usd and per_request_usd, runs.cost_usd,
--                        spans.cost_usd and slo_targets' cost columns are never NaN nor
--                        negative; slo_targets.min_success_rate is between 0 and 1.
--                        (numeric(14,6) already refuses Infinity: "A field with precision 14,
--                        scale 6 cannot hold an infinite value".)
--     runs (trigger)     for writers other than the contract's own functions (see
--                        pitwall.runs_guard below): a run is inserted running without ended_at,
--                        or final with ended_at (PW004), without kill_action_id (PW001);
--                        written_by is the inserting login. Such a writer changes a run only
--                        while it is running ("run X already ended as Y; a final run cannot
--                        change", PW006; writing the exact same values again is no change and
--                        passes, as a retried end does), only a run it wrote (PW001; a run
--                        older than this migration, written_by '', may be ended by any agent),
--                        never its identity (run_id, trace_id, agent, version, user_id,
--                        entry_point, started_at, written_by: PW001, though an agent meets the
--                        column grants first, 42501), never lowers steps, input_tokens,
--                        output_tokens or cost_usd (PW004), and sets kill_action_id only to a
--                        kill_run action recorded for that run (PW001): act_kill_run alone
--                        records kills. A final status needs ended_at, running none (PW004).
--     breaker_events     for such writers an event is automatic: a non-null actor is refused
--     (trigger)          (PW001); written_by is the inserting login.
--
--   privileges
--     mark_mirrored      granted to pitwall_operator and pitwall_budget_owner directly; a
--                        viewer keeps EXECUTE, like on every act_* function, so that the
--                        function refuses it with PW001 and a sentence rather than 42501.
--     pitwall_agent      loses UPDATE on spans (append-only: the writers use ON CONFLICT DO
--                        NOTHING, which needs none), UPDATE on runs except the columns a run's
--                        end writes, INSERT on agent_versions (register_version is the way in),
--                        SELECT on actions (the audit log is not the agents' business) and
--                        SELECT on span contents (it keeps trace_id, span_id and run_id, which
--                        the importer's duplicate check and ON CONFLICT need).
--     functions          the new ones are not executable by PUBLIC (helpers have no grant).
--
-- Rows written before this migration are history and are not rewritten. Each new CHECK is
-- validated when every existing row meets it; otherwise it stays NOT VALID (it binds new rows
-- and updates) and the migration logs a WARNING naming it.

-- ---------------------------------------------------------------------------------------
-- Text rules
-- ---------------------------------------------------------------------------------------

-- True when p has a character a person can see. Listed explicitly rather than with
-- [:space:] and [:cntrl:], whose meaning beyond ASCII depends on the database's locale:
-- C0 and C1 controls and ASCII space, no-break space, soft hyphen, combining grapheme joiner,
-- Arabic letter mark, Hangul fillers, Ogham space, Khmer inherent vowels, Mongolian variation
-- selectors and vowel separator, the spaces, zero-width characters, direction marks and
-- embeddings of U+2000..U+206F, the Braille blank, the ideographic space, variation
-- selectors, the byte order mark, interlinear annotation marks, shorthand format controls,
-- musical formatting controls and the tag characters. E'' so that the escapes reach the
-- regex engine whatever standard_conforming_strings is; in a database that is not UTF8 the
-- ranges above U+00FF simply match nothing.
CREATE FUNCTION pitwall.has_visible_char(p text)
RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN p ~ E'[^\\u0001-\\u0020\\u007f-\\u00a0\\u00ad\\u034f\\u061c\\u115f\\u1160\\u1680\\u17b4\\u17b5\\u180b-\\u180f\\u2000-\\u200f\\u2028-\\u202f\\u205f-\\u206f\\u2800\\u3000\\u3164\\ufe00-\\ufe0f\\ufeff\\uffa0\\ufff0-\\ufffb\\U0001bca0-\\U0001bca3\\U0001d173-\\U0001d17a\\U000e0000-\\U000e0fff]';

-- Refuses (PW004) a missing, over-long or invisible name or reason. p_what is how the
-- sentence names it: 'a reason', 'a subject', ...
CREATE FUNCTION pitwall.require_visible(p_value text, p_what text, p_max int)
RETURNS void
LANGUAGE plpgsql SET search_path = pitwall, pg_temp
AS $$
BEGIN
    IF p_value IS NULL OR p_value = '' THEN
        RAISE EXCEPTION '% is required', p_what USING ERRCODE = 'PW004';
    END IF;
    -- Length first: the regex then never scans more than p_max characters.
    IF char_length(p_value) > p_max THEN
        RAISE EXCEPTION '% may be at most % characters, not %', p_what, p_max,
            char_length(p_value)
            USING ERRCODE = 'PW004';
    END IF;
    IF NOT pitwall.has_visible_char(p_value) THEN
        RAISE EXCEPTION '% must contain a visible character', p_what USING ERRCODE = 'PW004';
    END IF;
END
$$;

-- Refuses (PW004) an amount that is not a finite, non-negative numeric(14,6). Null passes:
-- whether an amount is required is the caller's rule.
CREATE FUNCTION pitwall.require_usd(p_value numeric, p_what text)
RETURNS void
LANGUAGE plpgsql SET search_path = pitwall, pg_temp
AS $$
BEGIN
    IF p_value IS NULL THEN
        RETURN;
    END IF;
    -- NaN first: NaN < 0 is false and NaN > any number is true in PostgreSQL.
    IF p_value = 'NaN' OR p_value = 'Infinity' OR p_value = '-Infinity' THEN
        RAISE EXCEPTION '% must be a finite number, not %', p_what, p_value
            USING ERRCODE = 'PW004';
    END IF;
    IF p_value < 0 THEN
        RAISE EXCEPTION '% cannot be negative', p_what USING ERRCODE = 'PW004';
    END IF;
    -- round: 99999999.9999995 would round up to 10^8, which numeric(14,6) cannot hold.
    IF round(p_value, 6) > 99999999.999999 THEN
        RAISE EXCEPTION '% may be at most 99999999.999999 USD, not %', p_what,
            CASE WHEN char_length(p_value::text) <= 30 THEN p_value::text
                 ELSE btrim(to_char(p_value, '9.999999EEEE')) END -- not 300 digits of 1e300
            USING ERRCODE = 'PW004';
    END IF;
END
$$;

-- ---------------------------------------------------------------------------------------
-- Columns
-- ---------------------------------------------------------------------------------------

ALTER TABLE pitwall.actions ADD COLUMN mirrored_by text NULL;
COMMENT ON COLUMN pitwall.actions.mirrored_by IS
    'the login that marked the action mirrored (mark_mirrored); NULL before schema version 3';

-- Added with '' and then given its real default: rows already there were written by someone
-- unknown, not by the login that happens to run this migration. Both steps are catalog-only.
ALTER TABLE pitwall.runs ADD COLUMN written_by text NOT NULL DEFAULT '';
ALTER TABLE pitwall.runs ALTER COLUMN written_by SET DEFAULT session_user;
COMMENT ON COLUMN pitwall.runs.written_by IS
    'the login that inserted the run (set by a trigger); empty for runs older than version 3';

ALTER TABLE pitwall.breaker_events ADD COLUMN written_by text NOT NULL DEFAULT '';
ALTER TABLE pitwall.breaker_events ALTER COLUMN written_by SET DEFAULT session_user;
COMMENT ON COLUMN pitwall.breaker_events.written_by IS
    'the login that inserted the event (set by a trigger); empty for events older than version 3';

-- ---------------------------------------------------------------------------------------
-- Constraints (validated at the end of this file when the rows already there allow it)
-- ---------------------------------------------------------------------------------------

-- numeric(14,6) refuses Infinity but not NaN, and NaN compares greater than every number, so
-- "x >= 0" alone would let it through.
ALTER TABLE pitwall.spend_caps
    ADD CONSTRAINT spend_caps_daily_usd_number
        CHECK (daily_usd <> 'NaN' AND daily_usd >= 0) NOT VALID,
    ADD CONSTRAINT spend_caps_per_request_usd_number
        CHECK (per_request_usd <> 'NaN' AND per_request_usd >= 0) NOT VALID;
ALTER TABLE pitwall.runs
    ADD CONSTRAINT runs_cost_usd_number CHECK (cost_usd <> 'NaN' AND cost_usd >= 0) NOT VALID;
ALTER TABLE pitwall.spans
    ADD CONSTRAINT spans_cost_usd_number CHECK (cost_usd <> 'NaN' AND cost_usd >= 0) NOT VALID;
ALTER TABLE pitwall.slo_targets
    ADD CONSTRAINT slo_targets_costs_number
        CHECK (max_cost_per_request_usd <> 'NaN' AND max_cost_per_request_usd >= 0
               AND max_cost_per_user_day_usd <> 'NaN' AND max_cost_per_user_day_usd >= 0)
        NOT VALID,
    -- NaN is greater than 1, so BETWEEN refuses it too.
    ADD CONSTRAINT slo_targets_min_success_rate_range
        CHECK (min_success_rate BETWEEN 0 AND 1) NOT VALID;
-- The reason rule binds actions requested from now on. An action requested before it keeps
-- the rule it was recorded under: a NOT VALID constraint would still be checked when
-- mark_mirrored updates such a row, so an unmirrored old action with a blank or long reason
-- could never be marked and every console would apply it to Redis again on every drain. The
-- cut-off is this migration's now(); rows after it are written only by the functions below,
-- which check the same rule first. Only the contract's functions write actions (no role has
-- INSERT or UPDATE on it) and they run as the owner, which may execute has_visible_char.
DO $$
BEGIN
    EXECUTE format('ALTER TABLE pitwall.actions ADD CONSTRAINT actions_reason_visible '
                   'CHECK (requested_at < %L::timestamptz OR (char_length(reason) <= 2000 '
                   'AND pitwall.has_visible_char(reason))) NOT VALID', now());
END
$$;

-- ---------------------------------------------------------------------------------------
-- Actions: the same names and signatures, stricter inputs
-- ---------------------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION pitwall.begin_action(p_action_id uuid, p_kind text, p_target text,
                                                p_role text, p_verb text, p_reason text)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pitwall, pg_temp
AS $$
DECLARE
    a pitwall.actions;
BEGIN
    IF p_action_id IS NULL THEN
        RAISE EXCEPTION 'an action id is required' USING ERRCODE = 'PW004';
    END IF;
    PERFORM pitwall.require_visible(p_reason, 'a reason', 2000);
    -- session_user, not current_user: inside SECURITY DEFINER current_user is the owner.
    IF NOT pg_has_role(session_user, p_role, 'MEMBER') THEN
        RAISE EXCEPTION 'role "%" may not %: that needs %', session_user, p_verb, p_role
            USING ERRCODE = 'PW001';
    END IF;

    -- Serializes two deliveries of the same action id, so the second sees the first's row.
    PERFORM pg_advisory_xact_lock(hashtext(p_action_id::text));
    SELECT * INTO a FROM pitwall.actions WHERE action_id = p_action_id;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    IF a.kind IS DISTINCT FROM p_kind OR a.target IS DISTINCT FROM p_target THEN
        RAISE EXCEPTION 'action id % was already used for a different action (% on %)',
            p_action_id, a.kind, a.target
            USING ERRCODE = 'PW005';
    END IF;
    RETURN jsonb_build_object('action_id', a.action_id, 'kind', a.kind, 'target', a.target,
                              'actor', a.actor, 'before', a.before, 'after', a.after,
                              'replayed', true);
END
$$;

CREATE OR REPLACE FUNCTION pitwall.act_set_cap(p_action_id uuid, p_scope text, p_subject text,
                                               p_daily_usd numeric, p_per_request_usd numeric,
                                               p_expires_at timestamptz,
                                               p_expected_revision bigint, p_reason text)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pitwall, pg_temp
AS $$
DECLARE
    replay       jsonb;
    target       text := p_scope || ':' || p_subject;
    old_row      pitwall.spend_caps;
    new_row      pitwall.spend_caps;
    had_row      boolean;
    cur_revision bigint;
    new_previous jsonb;
BEGIN
    replay := pitwall.begin_action(p_action_id, 'set_cap', target, 'pitwall_budget_owner',
                                   'set caps', p_reason);
    IF replay IS NOT NULL THEN
        RETURN replay;
    END IF;

    IF p_scope IS NULL OR p_scope NOT IN ('user', 'agent', 'global') THEN
        RAISE EXCEPTION 'the scope must be user, agent or global, not "%"', coalesce(p_scope, '')
            USING ERRCODE = 'PW004';
    END IF;
    IF p_subject IS NULL OR p_subject = '' THEN
        RAISE EXCEPTION 'a % cap needs a subject', p_scope USING ERRCODE = 'PW004';
    END IF;
    PERFORM pitwall.require_visible(p_subject, 'a subject', 200);
    IF p_scope = 'global' AND p_subject <> '*' THEN
        RAISE EXCEPTION 'the global cap has the subject "*", not "%"', p_subject
            USING ERRCODE = 'PW004';
    END IF;
    IF p_daily_usd IS NULL THEN
        RAISE EXCEPTION 'a daily cap is required' USING ERRCODE = 'PW004';
    END IF;
    PERFORM pitwall.require_usd(p_daily_usd, 'a daily cap');
    PERFORM pitwall.require_usd(p_per_request_usd, 'a per-request cap');
    IF p_expires_at IS NOT NULL AND NOT isfinite(p_expires_at) THEN
        RAISE EXCEPTION 'the cap must expire at a finite time, not at %', p_expires_at
            USING ERRCODE = 'PW004';
    END IF;
    IF p_expires_at IS NOT NULL AND p_expires_at <= now() THEN
        RAISE EXCEPTION 'the cap must expire in the future, not at %', p_expires_at
            USING ERRCODE = 'PW004';
    END IF;

    -- FOR UPDATE cannot lock a row that does not exist yet; this lock keeps two first caps
    -- for the same subject from both passing the revision check.
    PERFORM pg_advisory_xact_lock(hashtext('pitwall.spend_caps'), hashtext(target));
    SELECT * INTO old_row FROM pitwall.spend_caps
     WHERE scope = p_scope AND subject = p_subject FOR UPDATE;
    had_row := FOUND;
    cur_revision := CASE WHEN had_row THEN old_row.revision ELSE 0 END;
    IF p_expected_revision IS NOT NULL AND p_expected_revision <> cur_revision THEN
        RAISE EXCEPTION 'stale revision: the % is at revision %, '
                        'the request was made against revision %',
            CASE WHEN p_scope = 'global' THEN 'global cap'
                 ELSE format('%s cap of "%s"', p_scope, p_subject) END,
            cur_revision, p_expected_revision
            USING ERRCODE = 'PW002';
    END IF;

    IF p_expires_at IS NULL THEN
        new_previous := NULL;
    ELSIF NOT had_row THEN
        new_previous := 'null'::jsonb;
    ELSIF old_row.expires_at IS NOT NULL THEN
        -- A time-boxed cap replacing another one reverts to the permanent cap, not to the
        -- temporary one. This holds for an expired row that expire_caps has not reached yet
        -- too: what is in force then is already its previous cap.
        new_previous := coalesce(old_row.previous, 'null'::jsonb);
    ELSE
        new_previous := jsonb_build_object('daily_usd', old_row.daily_usd,
                                           'per_request_usd', old_row.per_request_usd);
    END IF;

    IF had_row THEN
        UPDATE pitwall.spend_caps
           SET daily_usd = p_daily_usd, per_request_usd = p_per_request_usd,
               expires_at = p_expires_at, previous = new_previous,
               revision = revision + 1, updated_at = now(), updated_by = session_user
         WHERE scope = p_scope AND subject = p_subject
        RETURNING * INTO new_row;
    ELSE
        INSERT INTO pitwall.spend_caps (scope, subject, daily_usd, per_request_usd, expires_at,
                                        previous, revision, updated_by)
        VALUES (p_scope, p_subject, p_daily_usd, p_per_request_usd, p_expires_at,
                new_previous, 1, session_user)
        RETURNING * INTO new_row;
    END IF;

    RETURN pitwall.finish_action(
        p_action_id, 'set_cap', target,
        jsonb_build_object('scope', p_scope, 'subject', p_subject, 'daily_usd', p_daily_usd,
                           'per_request_usd', p_per_request_usd, 'expires_at', p_expires_at,
                           'expected_revision', p_expected_revision),
        CASE WHEN had_row THEN pitwall.cap_before_json(old_row) END,
        pitwall.cap_json(new_row),
        p_reason);
END
$$;

CREATE OR REPLACE FUNCTION pitwall.act_override_breaker(p_action_id uuid, p_tool text,
                                                        p_forced text, p_until timestamptz,
                                                        p_current_state text, p_reason text)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pitwall, pg_temp
AS $$
DECLARE
    replay jsonb;
BEGIN
    replay := pitwall.begin_action(p_action_id, 'override_breaker', p_tool, 'pitwall_operator',
                                   'override breakers', p_reason);
    IF replay IS NOT NULL THEN
        RETURN replay;
    END IF;

    IF p_tool IS NULL OR p_tool = '' THEN
        RAISE EXCEPTION 'a tool is required' USING ERRCODE = 'PW004';
    END IF;
    PERFORM pitwall.require_visible(p_tool, 'a tool', 200);
    IF p_forced IS NOT NULL AND p_forced NOT IN ('open', 'closed') THEN
        RAISE EXCEPTION 'a breaker can be forced open or closed, not "%"', p_forced
            USING ERRCODE = 'PW004';
    END IF;
    IF p_forced IS NULL AND p_until IS NOT NULL THEN
        RAISE EXCEPTION 'clearing an override takes no end time' USING ERRCODE = 'PW004';
    END IF;
    IF p_until IS NOT NULL AND NOT isfinite(p_until) THEN
        RAISE EXCEPTION 'the override must end at a finite time, not at %', p_until
            USING ERRCODE = 'PW004';
    END IF;
    IF p_until IS NOT NULL AND p_until <= now() THEN
        RAISE EXCEPTION 'the override must end in the future, not at %', p_until
            USING ERRCODE = 'PW004';
    END IF;
    IF p_current_state IS NOT NULL AND p_current_state NOT IN ('closed', 'open', 'half_open') THEN
        RAISE EXCEPTION 'the current state must be closed, open or half_open, not "%"',
            p_current_state
            USING ERRCODE = 'PW004';
    END IF;

    INSERT INTO pitwall.breaker_events (tool, from_state, to_state, failures, actor, reason)
    VALUES (p_tool, coalesce(p_current_state, 'closed'),
            CASE p_forced WHEN 'open' THEN 'forced_open'
                          WHEN 'closed' THEN 'forced_closed'
                          ELSE 'automatic' END,
            0, session_user, p_reason);

    RETURN pitwall.finish_action(
        p_action_id, 'override_breaker', p_tool,
        jsonb_build_object('tool', p_tool, 'forced', p_forced, 'until', p_until,
                           'current_state', p_current_state),
        jsonb_build_object('state', p_current_state),
        jsonb_build_object('forced', p_forced, 'forced_until', p_until),
        p_reason);
END
$$;

-- Called once a console has applied an action's side effect to Redis. Only the first call
-- counts, so two consoles draining at once can tell which one did the work. Only a role that
-- may take the action may say it was applied: a viewer marking a kill as mirrored would keep
-- every console from ever setting the kill flag.
CREATE OR REPLACE FUNCTION pitwall.mark_mirrored(p_action_id uuid, p_outcome jsonb)
RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pitwall, pg_temp
AS $$
DECLARE
    action_kind text;
    needed      text;
    changed     int;
BEGIN
    IF p_action_id IS NULL THEN
        RAISE EXCEPTION 'an action id is required' USING ERRCODE = 'PW004';
    END IF;
    SELECT kind INTO action_kind FROM pitwall.actions WHERE action_id = p_action_id;
    IF NOT FOUND THEN
        IF NOT (pg_has_role(session_user, 'pitwall_operator', 'MEMBER')
                OR pg_has_role(session_user, 'pitwall_budget_owner', 'MEMBER')) THEN
            RAISE EXCEPTION 'role "%" may not mark actions as mirrored: that needs '
                            'pitwall_operator or pitwall_budget_owner', session_user
                USING ERRCODE = 'PW001';
        END IF;
        RETURN false; -- as in version 2: nothing to mark
    END IF;
    needed := CASE WHEN action_kind IN ('set_cap', 'cap_expired') THEN 'pitwall_budget_owner'
                   ELSE 'pitwall_operator' END;
    IF NOT pg_has_role(session_user, needed, 'MEMBER') THEN
        RAISE EXCEPTION 'role "%" may not mark a % action as mirrored: that needs %',
            session_user, action_kind, needed
            USING ERRCODE = 'PW001';
    END IF;
    IF p_outcome IS NOT NULL AND jsonb_typeof(p_outcome) <> 'object' THEN
        RAISE EXCEPTION 'the outcome must be a JSON object, not %', jsonb_typeof(p_outcome)
            USING ERRCODE = 'PW004';
    END IF;
    IF p_outcome IS NOT NULL AND octet_length(p_outcome::text) > 4096 THEN
        RAISE EXCEPTION 'the outcome may be at most 4096 bytes of JSON, not %',
            octet_length(p_outcome::text)
            USING ERRCODE = 'PW004';
    END IF;

    UPDATE pitwall.actions
       SET mirrored_at = now(), mirrored_by = session_user,
           outcome = coalesce(p_outcome, outcome)
     WHERE action_id = p_action_id AND mirrored_at IS NULL;
    GET DIAGNOSTICS changed = ROW_COUNT;
    RETURN changed > 0;
END
$$;

CREATE OR REPLACE FUNCTION pitwall.register_version(p_agent text, p_version text, p_model text,
                                                    p_prompt_sha text, p_as_canary boolean,
                                                    p_canary_weight int)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pitwall, pg_temp
AS $$
DECLARE
    old_row pitwall.rollouts;
    new_row pitwall.rollouts;
    weight  int := coalesce(p_canary_weight, 0);
    new_id  uuid;
BEGIN
    IF NOT (pg_has_role(session_user, 'pitwall_agent', 'MEMBER')
            OR pg_has_role(session_user, 'pitwall_operator', 'MEMBER')) THEN
        RAISE EXCEPTION 'role "%" may not register versions: that needs pitwall_agent',
            session_user
            USING ERRCODE = 'PW001';
    END IF;
    IF p_agent IS NULL OR p_agent = '' OR p_version IS NULL OR p_version = '' THEN
        RAISE EXCEPTION 'an agent and a version are required' USING ERRCODE = 'PW004';
    END IF;
    PERFORM pitwall.require_visible(p_agent, 'an agent', 200);
    PERFORM pitwall.require_visible(p_version, 'a version', 200);
    IF p_model IS NULL OR p_model = '' THEN
        RAISE EXCEPTION 'a model is required' USING ERRCODE = 'PW004';
    END IF;
    PERFORM pitwall.require_visible(p_model, 'a model', 200);
    IF char_length(p_prompt_sha) > 200 THEN
        RAISE EXCEPTION 'a prompt sha may be at most 200 characters, not %',
            char_length(p_prompt_sha)
            USING ERRCODE = 'PW004';
    END IF;
    IF coalesce(p_as_canary, false) AND weight NOT BETWEEN 0 AND 100 THEN
        RAISE EXCEPTION 'the canary weight must be between 0 and 100, not %', weight
            USING ERRCODE = 'PW004';
    END IF;

    INSERT INTO pitwall.agent_versions (agent, version, model, prompt_sha)
    VALUES (p_agent, p_version, p_model, coalesce(p_prompt_sha, ''))
    ON CONFLICT DO NOTHING;

    -- ON CONFLICT rather than a check first: many replicas of a new agent start at once.
    INSERT INTO pitwall.rollouts (agent, stable_version, updated_by)
    VALUES (p_agent, p_version, session_user)
    ON CONFLICT (agent) DO NOTHING
    RETURNING * INTO new_row;
    IF new_row.agent IS NOT NULL THEN
        RETURN pitwall.rollout_json(new_row);
    END IF;

    SELECT * INTO old_row FROM pitwall.rollouts WHERE agent = p_agent FOR UPDATE;
    IF NOT (coalesce(p_as_canary, false) AND old_row.canary_version IS NULL
            AND old_row.stable_version <> p_version) THEN
        RETURN pitwall.rollout_json(old_row);
    END IF;

    UPDATE pitwall.rollouts
       SET canary_version = p_version, canary_weight = weight, revision = revision + 1,
           updated_at = now(), updated_by = session_user
     WHERE agent = p_agent
    RETURNING * INTO new_row;

    new_id := gen_random_uuid();
    INSERT INTO pitwall.actions (action_id, actor, kind, target, params, before, after, reason)
    VALUES (new_id, session_user, 'start_canary', p_agent,
            jsonb_build_object('agent', p_agent, 'version', p_version, 'model', p_model,
                               'prompt_sha', p_prompt_sha, 'as_canary', p_as_canary,
                               'canary_weight', p_canary_weight),
            pitwall.rollout_json(old_row), pitwall.rollout_json(new_row),
            'registered as canary by deploy');
    PERFORM pg_notify('pitwall_changes', json_build_object('kind', 'start_canary',
                                                           'target', p_agent,
                                                           'action_id', new_id)::text);
    RETURN pitwall.rollout_json(new_row);
END
$$;

-- ---------------------------------------------------------------------------------------
-- What agents may write: append, and advance their own running runs
-- ---------------------------------------------------------------------------------------
--
-- Who is trusted. The contract's SECURITY DEFINER functions (act_kill_run, act_override_
-- breaker, ...) run as their owner, the role that migrated the schema, so inside them
-- current_user is that owner while session_user is still the caller's login. The triggers
-- below are SECURITY INVOKER on purpose: they see the current_user of the statement that
-- fired them, and trust it when it is a member of the role that owns the table (superusers
-- are members of every role). Exactly those roles could drop or disable the trigger anyway,
-- so trusting them gives nothing away, and it keeps working when 0001 and this file were run
-- by different superusers. current_user <> session_user would not do: a login may SET ROLE to
-- one of its group roles (pitwall_agent), which changes current_user without any definer.
-- Everyone else (agent logins, an OTLP importer, a viewer if someone granted it more) is
-- checked.

-- Whether p_action_id is a kill_run action recorded for run p_run_id. For the runs trigger,
-- which runs with an agent's privileges, and agents may not read the audit log.
CREATE FUNCTION pitwall.is_kill_of(p_action_id uuid, p_run_id uuid)
RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pitwall, pg_temp
RETURN EXISTS (SELECT 1 FROM pitwall.actions
                WHERE action_id = p_action_id AND kind = 'kill_run'
                  AND target = p_run_id::text);

CREATE FUNCTION pitwall.runs_guard()
RETURNS trigger
LANGUAGE plpgsql SET search_path = pitwall, pg_temp
AS $$
BEGIN
    IF pg_has_role(current_user, (SELECT c.relowner FROM pg_catalog.pg_class c
                                   WHERE c.oid = TG_RELID), 'MEMBER') THEN
        RETURN NEW; -- the contract's own functions, the owner, a superuser
    END IF;

    IF TG_OP = 'INSERT' THEN
        NEW.written_by := session_user;
        IF NEW.kill_action_id IS NOT NULL THEN
            RAISE EXCEPTION 'role "%" may not insert run % with a kill: only act_kill_run '
                            'records kills', session_user, NEW.run_id
                USING ERRCODE = 'PW001';
        END IF;
    ELSE
        IF OLD.status <> 'running' THEN
            IF NEW IS NOT DISTINCT FROM OLD THEN
                RETURN NEW; -- a retried end writing the same values changes nothing
            END IF;
            RAISE EXCEPTION 'run % already ended as %; a final run cannot change',
                OLD.run_id, OLD.status
                USING ERRCODE = 'PW006';
        END IF;
        -- '' is a run written before version 3 by an unknown login: one still running then
        -- may be ended by any agent, or it would stay running for ever.
        IF OLD.written_by <> session_user AND OLD.written_by <> '' THEN
            RAISE EXCEPTION 'role "%" may not change run %: it was written by "%"',
                session_user, OLD.run_id, OLD.written_by
                USING ERRCODE = 'PW001';
        END IF;
        IF NEW.run_id IS DISTINCT FROM OLD.run_id
           OR NEW.trace_id IS DISTINCT FROM OLD.trace_id
           OR NEW.agent IS DISTINCT FROM OLD.agent
           OR NEW.version IS DISTINCT FROM OLD.version
           OR NEW.user_id IS DISTINCT FROM OLD.user_id
           OR NEW.entry_point IS DISTINCT FROM OLD.entry_point
           OR NEW.started_at IS DISTINCT FROM OLD.started_at
           OR NEW.written_by IS DISTINCT FROM OLD.written_by THEN
            RAISE EXCEPTION 'role "%" may not change who or what run % is: run_id, trace_id, '
                            'agent, version, user_id, entry_point, started_at and written_by '
                            'are fixed', session_user, OLD.run_id
                USING ERRCODE = 'PW001';
        END IF;
        IF NEW.steps < OLD.steps THEN
            RAISE EXCEPTION 'run %: steps cannot decrease (from % to %)',
                OLD.run_id, OLD.steps, NEW.steps USING ERRCODE = 'PW004';
        END IF;
        IF NEW.input_tokens < OLD.input_tokens THEN
            RAISE EXCEPTION 'run %: input_tokens cannot decrease (from % to %)',
                OLD.run_id, OLD.input_tokens, NEW.input_tokens USING ERRCODE = 'PW004';
        END IF;
        IF NEW.output_tokens < OLD.output_tokens THEN
            RAISE EXCEPTION 'run %: output_tokens cannot decrease (from % to %)',
                OLD.run_id, OLD.output_tokens, NEW.output_tokens USING ERRCODE = 'PW004';
        END IF;
        -- NaN is refused by runs_cost_usd_number; NaN > anything would pass this test.
        IF NEW.cost_usd < OLD.cost_usd THEN
            RAISE EXCEPTION 'run %: cost_usd cannot decrease (from % to %)',
                OLD.run_id, OLD.cost_usd, NEW.cost_usd USING ERRCODE = 'PW004';
        END IF;
        -- The guard writes back the kill it obeyed. Two operators may kill the same run and
        -- the flag in Redis hold the other one's id, so any kill recorded for this run will
        -- do; a made-up id or clearing it will not.
        IF NEW.kill_action_id IS DISTINCT FROM OLD.kill_action_id
           AND (NEW.kill_action_id IS NULL
                OR NOT pitwall.is_kill_of(NEW.kill_action_id, OLD.run_id)) THEN
            RAISE EXCEPTION 'role "%" may not set the kill of run % to %: only act_kill_run '
                            'records kills', session_user, OLD.run_id,
                coalesce(NEW.kill_action_id::text, 'null')
                USING ERRCODE = 'PW001';
        END IF;
    END IF;

    IF NEW.status = 'running' AND NEW.ended_at IS NOT NULL THEN
        RAISE EXCEPTION 'run % is running, so it has no end time (ended_at)', NEW.run_id
            USING ERRCODE = 'PW004';
    END IF;
    IF NEW.status <> 'running' AND NEW.ended_at IS NULL THEN
        RAISE EXCEPTION 'run % ended as %, so it needs an end time (ended_at)',
            NEW.run_id, NEW.status
            USING ERRCODE = 'PW004';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER runs_guard BEFORE INSERT OR UPDATE ON pitwall.runs
    FOR EACH ROW EXECUTE FUNCTION pitwall.runs_guard();

-- A breaker event written by an agent is automatic: its actor is null. An operator's change
-- goes through act_override_breaker (trusted), which records the operator. Refused rather
-- than silently nulled: the guard never sends an actor, so one that does is tampering, and a
-- refusal shows it.
CREATE FUNCTION pitwall.breaker_events_guard()
RETURNS trigger
LANGUAGE plpgsql SET search_path = pitwall, pg_temp
AS $$
BEGIN
    IF pg_has_role(current_user, (SELECT c.relowner FROM pg_catalog.pg_class c
                                   WHERE c.oid = TG_RELID), 'MEMBER') THEN
        RETURN NEW;
    END IF;
    NEW.written_by := session_user;
    IF NEW.actor IS NOT NULL THEN
        RAISE EXCEPTION 'role "%" may not record a breaker change by "%": an agent records '
                        'automatic changes only (actor null); operators use '
                        'act_override_breaker', session_user, NEW.actor
            USING ERRCODE = 'PW001';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER breaker_events_guard BEFORE INSERT OR UPDATE ON pitwall.breaker_events
    FOR EACH ROW EXECUTE FUNCTION pitwall.breaker_events_guard();

-- ---------------------------------------------------------------------------------------
-- Re-seeding spend counters
-- ---------------------------------------------------------------------------------------

-- spend_seed looks runs up by end time; the indexes of 0001 are by start time, and
-- runs_user_idx would read all of a user's history up to the day. An agent's ended runs are
-- read through runs_ended_idx: there are few agents, so an (agent, ended_at) index would save
-- little and cost every run's insert and end.
CREATE INDEX runs_user_ended_idx ON pitwall.runs (user_id, ended_at);
CREATE INDEX runs_ended_idx ON pitwall.runs (ended_at);

CREATE FUNCTION pitwall.spend_seed(p_scope text, p_subject text, p_day date)
RETURNS bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pitwall, pg_temp
AS $$
DECLARE
    day_start timestamptz;
    day_end   timestamptz;
    ended     numeric;
    so_far    numeric;
    total     numeric;
BEGIN
    IF NOT (pg_has_role(session_user, 'pitwall_agent', 'MEMBER')
            OR pg_has_role(session_user, 'pitwall_viewer', 'MEMBER')) THEN
        RAISE EXCEPTION 'role "%" may not read spend: that needs pitwall_agent or '
                        'pitwall_viewer', session_user
            USING ERRCODE = 'PW001';
    END IF;
    IF p_scope IS NULL OR p_scope NOT IN ('user', 'agent', 'global') THEN
        RAISE EXCEPTION 'the scope must be user, agent or global, not "%"', coalesce(p_scope, '')
            USING ERRCODE = 'PW004';
    END IF;
    IF p_subject IS NULL OR p_subject = '' THEN
        RAISE EXCEPTION 'a % spend needs a subject', p_scope USING ERRCODE = 'PW004';
    END IF;
    PERFORM pitwall.require_visible(p_subject, 'a subject', 200);
    IF p_scope = 'global' AND p_subject <> '*' THEN
        RAISE EXCEPTION 'the global spend has the subject "*", not "%"', p_subject
            USING ERRCODE = 'PW004';
    END IF;
    IF p_day IS NULL THEN
        RAISE EXCEPTION 'a day is required' USING ERRCODE = 'PW004';
    END IF;
    IF p_day NOT BETWEEN date '1970-01-01' AND date '9999-12-31' THEN
        RAISE EXCEPTION 'the day must be between 1970-01-01 and 9999-12-31, not %', p_day
            USING ERRCODE = 'PW004';
    END IF;

    day_start := p_day::timestamp AT TIME ZONE 'UTC';
    day_end := (p_day + 1)::timestamp AT TIME ZONE 'UTC';

    -- One static query per scope, so that each is planned on its own index: for the ended
    -- runs runs_user_ended_idx (user) or runs_ended_idx (agent, global); for the running ones
    -- runs_running_idx (with runs_user_ended_idx for a user), then spans_run_idx per run. The
    -- LATERAL keeps that per-run lookup: a plain join made the planner hash all of spans
    -- (a million rows) to find the spans of a few thousand running runs. status <> 'running'
    -- keeps a run that has an end time but still says running (only a trusted writer can
    -- make one) from counting twice.
    IF p_scope = 'user' THEN
        SELECT coalesce(sum(r.cost_usd), 0) INTO ended FROM pitwall.runs r
         WHERE r.user_id = p_subject AND r.ended_at >= day_start AND r.ended_at < day_end
           AND r.status <> 'running';
        SELECT coalesce(sum(x.cost), 0) INTO so_far
          FROM pitwall.runs r
         CROSS JOIN LATERAL (SELECT sum(s.cost_usd) AS cost FROM pitwall.spans s
                              WHERE s.run_id = r.run_id) x
         WHERE r.user_id = p_subject AND r.status = 'running' AND r.started_at < day_end;
    ELSIF p_scope = 'agent' THEN
        SELECT coalesce(sum(r.cost_usd), 0) INTO ended FROM pitwall.runs r
         WHERE r.agent = p_subject AND r.ended_at >= day_start AND r.ended_at < day_end
           AND r.status <> 'running';
        SELECT coalesce(sum(x.cost), 0) INTO so_far
          FROM pitwall.runs r
         CROSS JOIN LATERAL (SELECT sum(s.cost_usd) AS cost FROM pitwall.spans s
                              WHERE s.run_id = r.run_id) x
         WHERE r.agent = p_subject AND r.status = 'running' AND r.started_at < day_end;
    ELSE
        SELECT coalesce(sum(r.cost_usd), 0) INTO ended FROM pitwall.runs r
         WHERE r.ended_at >= day_start AND r.ended_at < day_end AND r.status <> 'running';
        SELECT coalesce(sum(x.cost), 0) INTO so_far
          FROM pitwall.runs r
         CROSS JOIN LATERAL (SELECT sum(s.cost_usd) AS cost FROM pitwall.spans s
                              WHERE s.run_id = r.run_id) x
         WHERE r.status = 'running' AND r.started_at < day_end;
    END IF;

    total := ended + so_far;
    IF total = 'NaN' THEN
        -- Only rows older than this migration can hold NaN (see the WARNINGs it logged).
        RAISE EXCEPTION 'the % spend of "%" on % cannot be computed: a run or span of it '
                        'costs NaN', p_scope, p_subject, p_day
            USING ERRCODE = 'PW006';
    END IF;
    RETURN greatest(0, least(round(total * 1000000), 9223372036854775807))::bigint;
END
$$;

-- ---------------------------------------------------------------------------------------
-- Grants (every grant of 0001 reviewed; the ones not named here stand, see the header)
-- ---------------------------------------------------------------------------------------

-- mark_mirrored: the roles that may mark actions hold it directly. pitwall_viewer keeps its
-- EXECUTE from 0001 on purpose, like every act_* function: the function itself refuses a
-- viewer with PW001 and a sentence naming the role it needs, where a revoked grant would give
-- a bare "permission denied for function" (42501). Either way a viewer marks nothing.
GRANT EXECUTE ON FUNCTION pitwall.mark_mirrored(uuid, jsonb)
    TO pitwall_operator, pitwall_budget_owner;

-- Spans are append-only for agents.
REVOKE UPDATE ON pitwall.spans FROM pitwall_agent;
-- What agents read of spans: the keys, for ON CONFLICT (trace_id, span_id) and the OTLP
-- importer's check for traces already stored. Not the inputs and outputs of other agents.
REVOKE SELECT ON pitwall.spans FROM pitwall_agent;
GRANT SELECT (trace_id, span_id, run_id) ON pitwall.spans TO pitwall_agent;
-- A run's end writes these; the rest of a run is fixed once inserted (runs_guard checks the
-- rest again, for whoever might get table-wide UPDATE later).
REVOKE UPDATE ON pitwall.runs FROM pitwall_agent;
GRANT UPDATE (status, ended_at, steps, input_tokens, output_tokens, cost_usd, error,
              kill_action_id) ON pitwall.runs TO pitwall_agent;
-- register_version (checked input, the rollout row with it) is the way in.
REVOKE INSERT ON pitwall.agent_versions FROM pitwall_agent;
-- The audit log: operators' names and reasons. The guard never reads it.
REVOKE SELECT ON pitwall.actions FROM pitwall_agent;

GRANT EXECUTE ON FUNCTION pitwall.spend_seed(text, text, date) TO pitwall_agent, pitwall_viewer;
GRANT EXECUTE ON FUNCTION pitwall.is_kill_of(uuid, uuid) TO pitwall_agent;

-- The helpers above (has_visible_char, require_visible, require_usd, the trigger functions)
-- are not for PUBLIC: triggers and the definer functions do not need the grant.
-- (A per-schema ALTER DEFAULT PRIVILEGES cannot take away PUBLIC's EXECUTE, and a
-- database-wide one would reach other schemas, so every migration that creates functions ends
-- with this line; the migration's transaction keeps them out of reach until then.)
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA pitwall FROM PUBLIC;

-- ---------------------------------------------------------------------------------------
-- Validate the new constraints where the rows already there allow it
-- ---------------------------------------------------------------------------------------

DO $$
DECLARE
    c record;
BEGIN
    FOR c IN
        SELECT con.conrelid::regclass AS tbl, con.conname
          FROM pg_catalog.pg_constraint con
         WHERE con.connamespace = 'pitwall'::regnamespace AND NOT con.convalidated
           AND con.conname IN ('spend_caps_daily_usd_number', 'spend_caps_per_request_usd_number',
                               'runs_cost_usd_number', 'spans_cost_usd_number',
                               'slo_targets_costs_number', 'slo_targets_min_success_rate_range',
                               'actions_reason_visible')
         ORDER BY con.conname
    LOOP
        BEGIN
            EXECUTE format('ALTER TABLE %s VALIDATE CONSTRAINT %I', c.tbl, c.conname);
        EXCEPTION WHEN check_violation THEN
            RAISE WARNING 'pitwall: rows of % written before schema version 3 break %; it holds '
                          'for new rows and updates only. Fix those rows, then run ALTER TABLE '
                          '% VALIDATE CONSTRAINT %', c.tbl, c.conname, c.tbl, c.conname;
        END;
    END LOOP;
END
$$;
