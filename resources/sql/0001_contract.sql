-- Pitwall contract, schema version 1.
--
-- The migrator runs this whole file in one transaction as a superuser and records the
-- version itself, so there is no BEGIN/COMMIT here and no schema_migrations table. The file
-- is also sent to the server as one multi-statement string, so it holds plain SQL only.
--
-- Every change a person makes goes through an act_* function: it checks the caller's role,
-- makes the change and writes the audit row (pitwall.actions) in the same transaction, so a
-- change can never exist without its record. The functions raise these SQLSTATEs:
--   PW001  the caller's role may not do this
--   PW002  stale revision: the row changed since the caller read it
--   PW003  unknown target (run, agent)
--   PW004  invalid input (missing reason, bad amount, time not in the future, ...)
--   PW005  the action id was already used for a different action
--   PW006  the target is not in a state that allows the action

-- The migrator creates the schema already; repeating it keeps the file usable with psql.
CREATE SCHEMA IF NOT EXISTS pitwall;

-- Roles are cluster-wide, so another database of the same cluster may have created them
-- already. duplicate_object/unique_violation cover two databases migrating at once.
DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['pitwall_viewer', 'pitwall_operator', 'pitwall_budget_owner',
                             'pitwall_agent'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = r) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I NOLOGIN', r);
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                NULL;
            END;
        END IF;
    END LOOP;
END
$$;

GRANT pitwall_viewer TO pitwall_operator, pitwall_budget_owner;

-- ---------------------------------------------------------------------------------------
-- Tables
-- ---------------------------------------------------------------------------------------

CREATE TABLE pitwall.agent_versions (
    agent      text        NOT NULL,
    version    text        NOT NULL,
    model      text        NOT NULL,
    prompt_sha text        NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (agent, version)
);

CREATE TABLE pitwall.rollouts (
    agent          text        PRIMARY KEY,
    stable_version text        NOT NULL,
    canary_version text        NULL, -- null: no canary
    canary_weight  int         NOT NULL DEFAULT 0 CHECK (canary_weight BETWEEN 0 AND 100),
    revision       bigint      NOT NULL DEFAULT 1,
    updated_at     timestamptz NOT NULL DEFAULT now(),
    updated_by     text        NOT NULL DEFAULT session_user
);

CREATE TABLE pitwall.slo_targets (
    agent                     text          PRIMARY KEY,
    p95_latency_ms            int           NOT NULL,
    min_success_rate          numeric(6,4)  NOT NULL,
    max_cost_per_request_usd  numeric(14,6) NOT NULL,
    max_cost_per_user_day_usd numeric(14,6) NOT NULL,
    max_steps                 int           NOT NULL DEFAULT 30
);

CREATE TABLE pitwall.runs (
    run_id         uuid          PRIMARY KEY,
    trace_id       text          NOT NULL,
    agent          text          NOT NULL,
    version        text          NOT NULL,
    user_id        text          NOT NULL,
    entry_point    text          NOT NULL CHECK (entry_point IN ('http', 'webhook', 'queue')),
    status         text          NOT NULL CHECK (status IN ('running', 'succeeded', 'failed',
                                                            'killed', 'capped', 'step_limit',
                                                            'timeout')),
    started_at     timestamptz   NOT NULL,
    ended_at       timestamptz   NULL,
    steps          int           NOT NULL DEFAULT 0,
    input_tokens   bigint        NOT NULL DEFAULT 0,
    output_tokens  bigint        NOT NULL DEFAULT 0,
    cost_usd       numeric(14,6) NOT NULL DEFAULT 0,
    error          text          NULL,
    -- Not a foreign key: agents write runs and must not depend on the audit table.
    kill_action_id uuid          NULL
);

-- The live view polls running runs; they are a small fraction of the table.
CREATE INDEX runs_running_idx ON pitwall.runs (started_at) WHERE status = 'running';
CREATE INDEX runs_agent_version_idx ON pitwall.runs (agent, version, started_at);
-- Keyset pagination of the run list: (started_at, run_id) is unique and stable.
CREATE INDEX runs_recent_idx ON pitwall.runs (started_at DESC, run_id DESC);
CREATE INDEX runs_user_idx ON pitwall.runs (user_id, started_at);

CREATE TABLE pitwall.spans (
    trace_id       text          NOT NULL,
    span_id        text          NOT NULL,
    parent_span_id text          NULL,
    -- Not a foreign key: spans may be exported before (or without) their run row.
    run_id         uuid          NULL,
    name           text          NOT NULL,
    kind           text          NOT NULL CHECK (kind IN ('agent', 'llm', 'tool', 'retrieval',
                                                          'guard', 'other')),
    started_at     bigint        NOT NULL, -- unix epoch microseconds, as OpenTelemetry gives
    ended_at       bigint        NULL,     -- them, without a lossy conversion
    status         text          NOT NULL DEFAULT 'unset'
                                 CHECK (status IN ('ok', 'error', 'unset')),
    model          text          NULL,
    tool           text          NULL,
    input_tokens   int           NOT NULL DEFAULT 0,
    output_tokens  int           NOT NULL DEFAULT 0,
    cost_usd       numeric(14,6) NOT NULL DEFAULT 0,
    attributes     jsonb         NOT NULL DEFAULT '{}',
    input          text          NULL,
    output         text          NULL,
    PRIMARY KEY (trace_id, span_id)
);

CREATE INDEX spans_run_idx ON pitwall.spans (run_id, started_at);

CREATE TABLE pitwall.spend_caps (
    scope           text          NOT NULL CHECK (scope IN ('user', 'agent', 'global')),
    subject         text          NOT NULL,
    daily_usd       numeric(14,6) NOT NULL,
    per_request_usd numeric(14,6) NULL,
    expires_at      timestamptz   NULL,
    -- For a time-boxed cap, the cap to restore on expiry: {"daily_usd": n,
    -- "per_request_usd": n|null}, or JSON null when there was no cap (the row is deleted).
    previous        jsonb         NULL,
    revision        bigint        NOT NULL DEFAULT 1,
    updated_at      timestamptz   NOT NULL DEFAULT now(),
    updated_by      text          NOT NULL DEFAULT session_user,
    PRIMARY KEY (scope, subject),
    CHECK (scope <> 'global' OR subject = '*')
);

CREATE TABLE pitwall.breaker_events (
    id         bigserial   PRIMARY KEY,
    tool       text        NOT NULL,
    from_state text        NOT NULL,
    to_state   text        NOT NULL,
    at         timestamptz NOT NULL DEFAULT now(),
    failures   int         NOT NULL DEFAULT 0,
    actor      text        NULL, -- null: the breaker tripped or recovered by itself
    reason     text        NULL
);

CREATE TABLE pitwall.actions (
    action_id    uuid        PRIMARY KEY,
    requested_at timestamptz NOT NULL DEFAULT now(),
    actor        text        NOT NULL,
    kind         text        NOT NULL,
    target       text        NOT NULL,
    params       jsonb       NOT NULL DEFAULT '{}',
    before       jsonb       NULL,
    after        jsonb       NULL,
    reason       text        NOT NULL CHECK (btrim(reason) <> ''),
    -- Set once a console has applied the action's side effect to Redis.
    mirrored_at  timestamptz NULL,
    outcome      jsonb       NULL
);

CREATE INDEX actions_recent_idx ON pitwall.actions (requested_at DESC);
-- Consoles drain actions not yet mirrored to Redis; normally there are none.
CREATE INDEX actions_unmirrored_idx ON pitwall.actions (requested_at) WHERE mirrored_at IS NULL;

-- ---------------------------------------------------------------------------------------
-- Internal helpers (no EXECUTE grant: only the functions below call them)
-- ---------------------------------------------------------------------------------------

-- The common start of every act_* function. Returns the stored result when p_action_id was
-- already used (a retry after a lost reply), else null and the caller goes on.
CREATE FUNCTION pitwall.begin_action(p_action_id uuid, p_kind text, p_target text,
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
    IF p_reason IS NULL OR btrim(p_reason) = '' THEN
        RAISE EXCEPTION 'a reason is required' USING ERRCODE = 'PW004';
    END IF;
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

-- The common end: the audit row, the notification and the result, in the caller's
-- transaction so they commit (or roll back) together with the change.
CREATE FUNCTION pitwall.finish_action(p_action_id uuid, p_kind text, p_target text,
                                      p_params jsonb, p_before jsonb, p_after jsonb,
                                      p_reason text)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pitwall, pg_temp
AS $$
BEGIN
    INSERT INTO pitwall.actions (action_id, actor, kind, target, params, before, after, reason)
    VALUES (p_action_id, session_user, p_kind, p_target, coalesce(p_params, '{}'), p_before,
            p_after, p_reason);
    PERFORM pg_notify('pitwall_changes', json_build_object('kind', p_kind, 'target', p_target,
                                                           'action_id', p_action_id)::text);
    RETURN jsonb_build_object('action_id', p_action_id, 'kind', p_kind, 'target', p_target,
                              'actor', session_user, 'before', p_before, 'after', p_after,
                              'replayed', false);
END
$$;

CREATE FUNCTION pitwall.rollout_json(r pitwall.rollouts)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pitwall, pg_temp
AS $$
BEGIN
    RETURN jsonb_build_object('stable', r.stable_version, 'canary', r.canary_version,
                              'weight', r.canary_weight, 'revision', r.revision);
END
$$;

CREATE FUNCTION pitwall.cap_json(c pitwall.spend_caps)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pitwall, pg_temp
AS $$
BEGIN
    RETURN jsonb_build_object('scope', c.scope, 'subject', c.subject,
                              'daily_usd', c.daily_usd, 'per_request_usd', c.per_request_usd,
                              'expires_at', c.expires_at, 'previous', c.previous,
                              'revision', c.revision);
END
$$;

-- The shape of "before" for caps: what the person saw, without the restore bookkeeping.
CREATE FUNCTION pitwall.cap_before_json(c pitwall.spend_caps)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pitwall, pg_temp
AS $$
BEGIN
    RETURN jsonb_build_object('daily_usd', c.daily_usd, 'per_request_usd', c.per_request_usd,
                              'expires_at', c.expires_at, 'revision', c.revision);
END
$$;

-- act_set_canary_weight, act_promote and act_rollback differ only in the new values.
CREATE FUNCTION pitwall.change_rollout(p_action_id uuid, p_kind text, p_agent text,
                                       p_weight int, p_expected_revision bigint, p_reason text)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pitwall, pg_temp
AS $$
DECLARE
    replay  jsonb;
    old_row pitwall.rollouts;
    new_row pitwall.rollouts;
    params  jsonb;
BEGIN
    replay := pitwall.begin_action(p_action_id, p_kind, p_agent, 'pitwall_operator',
                                   'change rollouts', p_reason);
    IF replay IS NOT NULL THEN
        RETURN replay;
    END IF;

    params := jsonb_build_object('agent', p_agent, 'expected_revision', p_expected_revision);
    IF p_kind = 'set_canary_weight' THEN
        IF p_weight IS NULL OR p_weight NOT BETWEEN 0 AND 100 THEN
            RAISE EXCEPTION 'the canary weight must be between 0 and 100, not %',
                coalesce(p_weight::text, 'null')
                USING ERRCODE = 'PW004';
        END IF;
        params := params || jsonb_build_object('weight', p_weight);
    END IF;

    SELECT * INTO old_row FROM pitwall.rollouts WHERE agent = p_agent FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown agent "%"', p_agent USING ERRCODE = 'PW003';
    END IF;
    IF p_expected_revision IS NOT NULL AND p_expected_revision <> old_row.revision THEN
        RAISE EXCEPTION 'stale revision: the rollout of agent "%" is at revision %, '
                        'the request was made against revision %',
            p_agent, old_row.revision, p_expected_revision
            USING ERRCODE = 'PW002';
    END IF;
    IF old_row.canary_version IS NULL THEN
        RAISE EXCEPTION 'agent "%" has no canary%', p_agent,
            CASE p_kind WHEN 'promote' THEN ' to promote'
                        WHEN 'rollback' THEN ' to roll back'
                        ELSE '' END
            USING ERRCODE = 'PW006';
    END IF;

    UPDATE pitwall.rollouts
       SET stable_version = CASE WHEN p_kind = 'promote' THEN canary_version
                                 ELSE stable_version END,
           canary_version = CASE WHEN p_kind = 'set_canary_weight' THEN canary_version END,
           canary_weight  = CASE WHEN p_kind = 'set_canary_weight' THEN p_weight ELSE 0 END,
           revision       = revision + 1,
           updated_at     = now(),
           updated_by     = session_user
     WHERE agent = p_agent
    RETURNING * INTO new_row;

    RETURN pitwall.finish_action(p_action_id, p_kind, p_agent, params,
                                 pitwall.rollout_json(old_row), pitwall.rollout_json(new_row),
                                 p_reason);
END
$$;

-- ---------------------------------------------------------------------------------------
-- Actions
-- ---------------------------------------------------------------------------------------

-- Records the kill; the console then sets the kill flag in Redis and the agent's guard stops
-- the run and writes its final status.
CREATE FUNCTION pitwall.act_kill_run(p_action_id uuid, p_run_id uuid, p_reason text)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pitwall, pg_temp
AS $$
DECLARE
    replay jsonb;
    r      pitwall.runs;
BEGIN
    replay := pitwall.begin_action(p_action_id, 'kill_run', p_run_id::text, 'pitwall_operator',
                                   'kill runs', p_reason);
    IF replay IS NOT NULL THEN
        RETURN replay;
    END IF;

    SELECT * INTO r FROM pitwall.runs WHERE run_id = p_run_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown run %', coalesce(p_run_id::text, 'null') USING ERRCODE = 'PW003';
    END IF;
    IF r.status <> 'running' THEN
        RAISE EXCEPTION 'run % already ended as %', p_run_id, r.status USING ERRCODE = 'PW006';
    END IF;

    UPDATE pitwall.runs SET kill_action_id = p_action_id WHERE run_id = p_run_id;

    RETURN pitwall.finish_action(
        p_action_id, 'kill_run', p_run_id::text,
        jsonb_build_object('run_id', p_run_id),
        jsonb_build_object('status', r.status, 'steps', r.steps, 'cost_usd', r.cost_usd),
        jsonb_build_object('status', 'kill_requested', 'run_id', p_run_id),
        p_reason);
END
$$;

CREATE FUNCTION pitwall.act_set_cap(p_action_id uuid, p_scope text, p_subject text,
                                    p_daily_usd numeric, p_per_request_usd numeric,
                                    p_expires_at timestamptz, p_expected_revision bigint,
                                    p_reason text)
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
    IF p_subject IS NULL OR btrim(p_subject) = '' THEN
        RAISE EXCEPTION 'a % cap needs a subject', p_scope USING ERRCODE = 'PW004';
    END IF;
    IF p_scope = 'global' AND p_subject <> '*' THEN
        RAISE EXCEPTION 'the global cap has the subject "*", not "%"', p_subject
            USING ERRCODE = 'PW004';
    END IF;
    IF p_daily_usd IS NULL THEN
        RAISE EXCEPTION 'a daily cap is required' USING ERRCODE = 'PW004';
    END IF;
    IF p_daily_usd < 0 OR p_per_request_usd < 0 THEN
        RAISE EXCEPTION 'a cap cannot be negative' USING ERRCODE = 'PW004';
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

CREATE FUNCTION pitwall.act_set_canary_weight(p_action_id uuid, p_agent text, p_weight int,
                                              p_expected_revision bigint, p_reason text)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pitwall, pg_temp
AS $$
BEGIN
    RETURN pitwall.change_rollout(p_action_id, 'set_canary_weight', p_agent, p_weight,
                                  p_expected_revision, p_reason);
END
$$;

CREATE FUNCTION pitwall.act_promote(p_action_id uuid, p_agent text,
                                    p_expected_revision bigint, p_reason text)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pitwall, pg_temp
AS $$
BEGIN
    RETURN pitwall.change_rollout(p_action_id, 'promote', p_agent, NULL,
                                  p_expected_revision, p_reason);
END
$$;

CREATE FUNCTION pitwall.act_rollback(p_action_id uuid, p_agent text,
                                     p_expected_revision bigint, p_reason text)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pitwall, pg_temp
AS $$
BEGIN
    RETURN pitwall.change_rollout(p_action_id, 'rollback', p_agent, NULL,
                                  p_expected_revision, p_reason);
END
$$;

-- The breaker state itself lives in Redis; the database keeps the audit row and the event.
-- p_current_state is what the caller saw there, since the database cannot know it.
CREATE FUNCTION pitwall.act_override_breaker(p_action_id uuid, p_tool text, p_forced text,
                                             p_until timestamptz, p_current_state text,
                                             p_reason text)
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

    IF p_tool IS NULL OR btrim(p_tool) = '' THEN
        RAISE EXCEPTION 'a tool is required' USING ERRCODE = 'PW004';
    END IF;
    IF p_forced IS NOT NULL AND p_forced NOT IN ('open', 'closed') THEN
        RAISE EXCEPTION 'a breaker can be forced open or closed, not "%"', p_forced
            USING ERRCODE = 'PW004';
    END IF;
    IF p_forced IS NULL AND p_until IS NOT NULL THEN
        RAISE EXCEPTION 'clearing an override takes no end time' USING ERRCODE = 'PW004';
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

-- ---------------------------------------------------------------------------------------
-- Housekeeping any console may run
-- ---------------------------------------------------------------------------------------

-- Called once a console has applied an action's side effect to Redis. Only the first call
-- counts, so two consoles draining at once can tell which one did the work.
CREATE FUNCTION pitwall.mark_mirrored(p_action_id uuid, p_outcome jsonb)
RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pitwall, pg_temp
AS $$
DECLARE
    changed int;
BEGIN
    UPDATE pitwall.actions
       SET mirrored_at = now(), outcome = coalesce(p_outcome, outcome)
     WHERE action_id = p_action_id AND mirrored_at IS NULL;
    GET DIAGNOSTICS changed = ROW_COUNT;
    RETURN changed > 0;
END
$$;

CREATE FUNCTION pitwall.expire_caps()
RETURNS int
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pitwall, pg_temp
AS $$
DECLARE
    c          pitwall.spend_caps;
    new_row    pitwall.spend_caps;
    new_id     uuid;
    target     text;
    after_json jsonb;
    expired    int := 0;
BEGIN
    -- SKIP LOCKED: a row locked by another console's expire_caps (or by a set_cap in
    -- progress) is that transaction's business; a later call picks it up if still due.
    FOR c IN
        SELECT * FROM pitwall.spend_caps WHERE expires_at <= now()
         ORDER BY scope, subject FOR UPDATE SKIP LOCKED
    LOOP
        target := c.scope || ':' || c.subject;
        -- Anything but a usable {"daily_usd": n, ...} means there was no cap before, so the
        -- row goes; a malformed previous must not make every later call fail.
        IF jsonb_typeof(c.previous -> 'daily_usd') IS DISTINCT FROM 'number' THEN
            DELETE FROM pitwall.spend_caps WHERE scope = c.scope AND subject = c.subject;
            after_json := NULL;
        ELSE
            UPDATE pitwall.spend_caps
               SET daily_usd = (c.previous ->> 'daily_usd')::numeric,
                   per_request_usd =
                       CASE WHEN jsonb_typeof(c.previous -> 'per_request_usd') = 'number'
                            THEN (c.previous ->> 'per_request_usd')::numeric END,
                   expires_at = NULL, previous = NULL, revision = revision + 1,
                   updated_at = now(), updated_by = session_user
             WHERE scope = c.scope AND subject = c.subject
            RETURNING * INTO new_row;
            after_json := pitwall.cap_json(new_row);
        END IF;

        new_id := gen_random_uuid();
        INSERT INTO pitwall.actions (action_id, actor, kind, target, params, before, after, reason)
        VALUES (new_id, session_user, 'cap_expired', target,
                jsonb_build_object('scope', c.scope, 'subject', c.subject),
                pitwall.cap_before_json(c), after_json, 'time-boxed cap expired');
        PERFORM pg_notify('pitwall_changes', json_build_object('kind', 'cap_expired',
                                                               'target', target,
                                                               'action_id', new_id)::text);
        expired := expired + 1;
    END LOOP;
    RETURN expired;
END
$$;

-- ---------------------------------------------------------------------------------------
-- Deploys
-- ---------------------------------------------------------------------------------------

-- Called by an agent when it starts. The first version of an agent becomes its stable
-- version; a later one becomes the canary only when asked and when no canary is running, so
-- restarting replicas never disturbs a rollout an operator is steering.
CREATE FUNCTION pitwall.register_version(p_agent text, p_version text, p_model text,
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
    IF p_agent IS NULL OR btrim(p_agent) = '' OR p_version IS NULL OR btrim(p_version) = '' THEN
        RAISE EXCEPTION 'an agent and a version are required' USING ERRCODE = 'PW004';
    END IF;
    IF p_model IS NULL OR btrim(p_model) = '' THEN
        RAISE EXCEPTION 'a model is required' USING ERRCODE = 'PW004';
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
-- Grants
-- ---------------------------------------------------------------------------------------

GRANT USAGE ON SCHEMA pitwall TO pitwall_viewer, pitwall_agent;

-- Also covers schema_migrations, so a console can check the schema version.
GRANT SELECT ON ALL TABLES IN SCHEMA pitwall TO pitwall_viewer;

-- Viewers may call every act_* function: the function then refuses with PW001 and a sentence
-- naming the missing role, rather than a bare "permission denied".
GRANT EXECUTE ON FUNCTION
    pitwall.act_kill_run(uuid, uuid, text),
    pitwall.act_set_cap(uuid, text, text, numeric, numeric, timestamptz, bigint, text),
    pitwall.act_set_canary_weight(uuid, text, int, bigint, text),
    pitwall.act_promote(uuid, text, bigint, text),
    pitwall.act_rollback(uuid, text, bigint, text),
    pitwall.act_override_breaker(uuid, text, text, timestamptz, text, text),
    pitwall.mark_mirrored(uuid, jsonb),
    pitwall.expire_caps()
    TO pitwall_viewer;

GRANT SELECT ON pitwall.agent_versions, pitwall.rollouts, pitwall.slo_targets,
                pitwall.spend_caps, pitwall.runs, pitwall.spans, pitwall.actions
    TO pitwall_agent;
GRANT INSERT, UPDATE ON pitwall.runs, pitwall.spans TO pitwall_agent;
GRANT INSERT ON pitwall.breaker_events, pitwall.agent_versions, pitwall.slo_targets
    TO pitwall_agent;
GRANT USAGE ON SEQUENCE pitwall.breaker_events_id_seq TO pitwall_agent;
-- Viewers too (so operators, who register by hand, can call it): like act_*, the function
-- refuses anyone else with PW001 and a sentence rather than a bare "permission denied".
GRANT EXECUTE ON FUNCTION pitwall.register_version(text, text, text, text, boolean, int)
    TO pitwall_agent, pitwall_viewer;

-- Functions are executable by PUBLIC by default; the helpers above must not be, and every
-- granted function has its grant above.
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA pitwall FROM PUBLIC;
