-- Migration 0005: the spend page's actions: soft alert thresholds, rebuilding a spend counter
-- from the ledger, releasing orphaned reservations, and a stale cap edit that names the cap.
--
-- Like 0001, 0003 and 0004 it runs in one transaction as a superuser (or the database owner)
-- and changes no existing name or signature: every caller of version 4 keeps working.
--
-- Contract changes (schema version 5):
--
--   table
--     spend_alerts       (scope, subject) pk like spend_caps; soft_pct (1..100, the share of
--                        the daily cap in force at which the console raises an alert),
--                        revision, updated_at, updated_by. The subject `*` of scope user is
--                        the default of every user without a row of their own. Readable by
--                        every role; written only by act_set_spend_alert.
--
--   functions
--     pitwall.act_set_spend_alert(p_action_id uuid, p_scope text, p_subject text,
--         p_soft_pct numeric, p_expected_revision bigint, p_reason text) RETURNS jsonb
--         For pitwall_budget_owner. A null p_soft_pct removes the alert. A stale revision is
--         refused (PW002) naming the threshold in force. Audited as set_spend_alert, target
--         scope:subject; nothing lives in Redis, so it is marked mirrored as it commits.
--     pitwall.act_rebuild_spend(p_action_id uuid, p_scope text, p_subject text,
--         p_seen_settled_micros bigint, p_reason text) RETURNS jsonb
--         For pitwall_budget_owner. Records the ledger's spend of the scope today (UTC, by
--         pitwall.spend_seed) as after.ledger_micros, with the counter's settled_micros the
--         person saw (params.seen_settled_micros) and the day (params.day, yyyymmdd). The
--         client applies it with resources/redis/rebuild_spend.lua: settled becomes the ledger
--         plus what was settled in Redis since the counter was read, so that a settle racing
--         the rebuild is kept rather than lost.
--     pitwall.act_release_hold(p_action_id uuid, p_run_id uuid, p_held_micros bigint,
--         p_reason text) RETURNS jsonb
--         For pitwall_budget_owner. A reservation still held by a run that ended or whose
--         agent vanished (no heartbeat): the run must exist (PW003) and not have been released
--         before (PW002). params: run_id, user, agent, status, held_micros. The client applies
--         it with release_hold.lua (at most what the run still holds is released from the
--         run's and its three counters' reserved_micros; nothing if the run beats again or its
--         hash has expired).
--     pitwall.act_set_cap
--         as in version 3; a stale revision's sentence now names the cap in force.
--     pitwall.mark_mirrored
--         rebuild_spend, release_hold and set_spend_alert actions need pitwall_budget_owner.
--
--   Redis (written by settle_spend.lua when given its optional keys, and by rebuild_spend.lua)
--     pitwall:spend_rank:{scope}:{yyyymmdd}   sorted set, scope user or agent: each subject
--                        scored by its counter's settled_micros after its last settle, for the
--                        top spenders; same TTL as the spend hashes. A display aid, never read
--                        as a limit: a lost rank is read from the ledger instead.

CREATE TABLE pitwall.spend_alerts (
    scope      text NOT NULL CHECK (scope IN ('user', 'agent', 'global')),
    subject    text NOT NULL,
    soft_pct   numeric NOT NULL CHECK (soft_pct >= 1 AND soft_pct <= 100),
    revision   bigint NOT NULL DEFAULT 1,
    updated_at timestamptz NOT NULL DEFAULT now(),
    updated_by text NOT NULL DEFAULT session_user,
    PRIMARY KEY (scope, subject)
);
GRANT SELECT ON pitwall.spend_alerts TO pitwall_viewer, pitwall_operator, pitwall_budget_owner;

-- "$5.00 a day, $0.50 a request, until 2026-11-29 18:00 UTC": a cap as a person reads it.
CREATE FUNCTION pitwall.cap_text(c pitwall.spend_caps)
RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = pitwall, pg_temp
RETURN '$' || trim(to_char(c.daily_usd, 'FM999999999990.00')) || ' a day, '
       || CASE WHEN c.per_request_usd IS NULL THEN 'no per-request cap'
               ELSE '$' || trim(to_char(c.per_request_usd, 'FM999999999990.00')) || ' a request'
          END
       || CASE WHEN c.expires_at IS NULL THEN ''
               ELSE ', until ' || to_char(c.expires_at AT TIME ZONE 'UTC',
                                          'YYYY-MM-DD HH24:MI') || ' UTC' END;
REVOKE EXECUTE ON FUNCTION pitwall.cap_text(pitwall.spend_caps) FROM PUBLIC;

-- The scope and subject checks of every spend action.
CREATE FUNCTION pitwall.require_spend_scope(p_scope text, p_subject text)
RETURNS void
LANGUAGE plpgsql SET search_path = pitwall, pg_temp
AS $$
BEGIN
    IF p_scope IS NULL OR p_scope NOT IN ('user', 'agent', 'global') THEN
        RAISE EXCEPTION 'the scope must be user, agent or global, not "%"', coalesce(p_scope, '')
            USING ERRCODE = 'PW004';
    END IF;
    IF p_subject IS NULL OR p_subject = '' THEN
        RAISE EXCEPTION 'a % scope needs a subject', p_scope USING ERRCODE = 'PW004';
    END IF;
    PERFORM pitwall.require_visible(p_subject, 'a subject', 200);
    IF p_scope = 'global' AND p_subject <> '*' THEN
        RAISE EXCEPTION 'the global scope has the subject "*", not "%"', p_subject
            USING ERRCODE = 'PW004';
    END IF;
END
$$;
REVOKE EXECUTE ON FUNCTION pitwall.require_spend_scope(text, text) FROM PUBLIC;

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
    what         text;
BEGIN
    replay := pitwall.begin_action(p_action_id, 'set_cap', target, 'pitwall_budget_owner',
                                   'set caps', p_reason);
    IF replay IS NOT NULL THEN
        RETURN replay;
    END IF;

    PERFORM pitwall.require_spend_scope(p_scope, p_subject);
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

    PERFORM pg_advisory_xact_lock(hashtext('pitwall.spend_caps'), hashtext(target));
    SELECT * INTO old_row FROM pitwall.spend_caps
     WHERE scope = p_scope AND subject = p_subject FOR UPDATE;
    had_row := FOUND;
    cur_revision := CASE WHEN had_row THEN old_row.revision ELSE 0 END;
    IF p_expected_revision IS NOT NULL AND p_expected_revision <> cur_revision THEN
        what := CASE WHEN p_scope = 'global' THEN 'global cap'
                     ELSE format('%s cap of "%s"', p_scope, p_subject) END;
        IF had_row THEN
            RAISE EXCEPTION 'stale revision: someone changed the % first; it is now % '
                            '(revision %, by %), the request was made against revision %',
                what, pitwall.cap_text(old_row), cur_revision, old_row.updated_by,
                p_expected_revision
                USING ERRCODE = 'PW002';
        END IF;
        RAISE EXCEPTION 'stale revision: there is no % now (revision 0), the request was '
                        'made against revision %', what, p_expected_revision
            USING ERRCODE = 'PW002';
    END IF;

    IF p_expires_at IS NULL THEN
        new_previous := NULL;
    ELSIF NOT had_row THEN
        new_previous := 'null'::jsonb;
    ELSIF old_row.expires_at IS NOT NULL THEN
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

CREATE FUNCTION pitwall.act_set_spend_alert(p_action_id uuid, p_scope text, p_subject text,
                                            p_soft_pct numeric, p_expected_revision bigint,
                                            p_reason text)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pitwall, pg_temp
AS $$
DECLARE
    replay  jsonb;
    target  text := coalesce(p_scope, '') || ':' || coalesce(p_subject, '');
    old_row pitwall.spend_alerts;
    new_row pitwall.spend_alerts;
    had_row boolean;
    cur_revision bigint;
    result  jsonb;
BEGIN
    replay := pitwall.begin_action(p_action_id, 'set_spend_alert', target,
                                   'pitwall_budget_owner', 'set spend alerts', p_reason);
    IF replay IS NOT NULL THEN
        RETURN replay;
    END IF;
    PERFORM pitwall.require_spend_scope(p_scope, p_subject);
    IF p_soft_pct IS NOT NULL THEN
        PERFORM pitwall.require_between(p_soft_pct, 'the alert threshold (percent of the daily '
                                        'cap)', 1, 100);
    END IF;

    PERFORM pg_advisory_xact_lock(hashtext('pitwall.spend_alerts'), hashtext(target));
    SELECT * INTO old_row FROM pitwall.spend_alerts
     WHERE scope = p_scope AND subject = p_subject FOR UPDATE;
    had_row := FOUND;
    cur_revision := CASE WHEN had_row THEN old_row.revision ELSE 0 END;
    IF p_expected_revision IS NOT NULL AND p_expected_revision <> cur_revision THEN
        RAISE EXCEPTION 'stale revision: the spend alert of % is now %, the request was made '
                        'against revision %', target,
            CASE WHEN had_row THEN format('at %s %% (revision %s, by %s)', old_row.soft_pct,
                                          old_row.revision, old_row.updated_by)
                 ELSE 'off (revision 0)' END,
            p_expected_revision
            USING ERRCODE = 'PW002';
    END IF;

    IF p_soft_pct IS NULL THEN
        DELETE FROM pitwall.spend_alerts WHERE scope = p_scope AND subject = p_subject;
    ELSE
        INSERT INTO pitwall.spend_alerts AS a (scope, subject, soft_pct)
        VALUES (p_scope, p_subject, p_soft_pct)
        ON CONFLICT (scope, subject) DO UPDATE
            SET soft_pct = EXCLUDED.soft_pct, revision = a.revision + 1,
                updated_at = now(), updated_by = session_user
        RETURNING * INTO new_row;
    END IF;

    result := pitwall.finish_action(
        p_action_id, 'set_spend_alert', target,
        jsonb_build_object('scope', p_scope, 'subject', p_subject, 'soft_pct', p_soft_pct,
                           'expected_revision', p_expected_revision),
        CASE WHEN had_row THEN jsonb_build_object('soft_pct', old_row.soft_pct,
                                                  'revision', old_row.revision) END,
        CASE WHEN p_soft_pct IS NOT NULL
             THEN jsonb_build_object('soft_pct', new_row.soft_pct,
                                     'revision', new_row.revision) END,
        p_reason);
    UPDATE pitwall.actions
       SET mirrored_at = now(), mirrored_by = session_user,
           outcome = jsonb_build_object('mirror', 'none')
     WHERE action_id = p_action_id;
    RETURN result;
END
$$;

CREATE FUNCTION pitwall.act_rebuild_spend(p_action_id uuid, p_scope text, p_subject text,
                                          p_seen_settled_micros bigint, p_reason text)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pitwall, pg_temp
AS $$
DECLARE
    replay jsonb;
    target text := coalesce(p_scope, '') || ':' || coalesce(p_subject, '');
    today  date := (now() AT TIME ZONE 'UTC')::date;
    ledger bigint;
BEGIN
    replay := pitwall.begin_action(p_action_id, 'rebuild_spend', target,
                                   'pitwall_budget_owner', 'rebuild spend counters', p_reason);
    IF replay IS NOT NULL THEN
        RETURN replay;
    END IF;
    PERFORM pitwall.require_spend_scope(p_scope, p_subject);
    IF p_seen_settled_micros IS NULL OR p_seen_settled_micros < 0
       OR p_seen_settled_micros > 9007199254740992 THEN
        RAISE EXCEPTION 'the settled spend seen must be between 0 and 2^53 micro-dollars, not %',
            coalesce(p_seen_settled_micros::text, 'null')
            USING ERRCODE = 'PW004';
    END IF;
    ledger := pitwall.spend_seed(p_scope, p_subject, today);
    RETURN pitwall.finish_action(
        p_action_id, 'rebuild_spend', target,
        jsonb_build_object('scope', p_scope, 'subject', p_subject,
                           'day', to_char(today, 'YYYYMMDD'),
                           'seen_settled_micros', p_seen_settled_micros),
        jsonb_build_object('settled_micros', p_seen_settled_micros),
        jsonb_build_object('ledger_micros', ledger),
        p_reason);
END
$$;

CREATE FUNCTION pitwall.act_release_hold(p_action_id uuid, p_run_id uuid, p_held_micros bigint,
                                         p_reason text)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pitwall, pg_temp
AS $$
DECLARE
    replay jsonb;
    r      pitwall.runs;
BEGIN
    IF p_run_id IS NULL THEN
        RAISE EXCEPTION 'a run id is required' USING ERRCODE = 'PW004';
    END IF;
    replay := pitwall.begin_action(p_action_id, 'release_hold', p_run_id::text,
                                   'pitwall_budget_owner', 'release reservations', p_reason);
    IF replay IS NOT NULL THEN
        RETURN replay;
    END IF;
    IF p_held_micros IS NULL OR p_held_micros < 1 OR p_held_micros > 9007199254740992 THEN
        RAISE EXCEPTION 'the reservation must be between 1 and 2^53 micro-dollars, not %',
            coalesce(p_held_micros::text, 'null')
            USING ERRCODE = 'PW004';
    END IF;
    SELECT * INTO r FROM pitwall.runs WHERE run_id = p_run_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown run %', p_run_id USING ERRCODE = 'PW003';
    END IF;
    -- Released once: a second release would take another run's reservation out of the caps.
    IF EXISTS (SELECT 1 FROM pitwall.actions
                WHERE kind = 'release_hold' AND target = p_run_id::text) THEN
        RAISE EXCEPTION 'the reservation of run % was already released (by %)', p_run_id,
            (SELECT actor || ' at ' || requested_at FROM pitwall.actions
              WHERE kind = 'release_hold' AND target = p_run_id::text
              ORDER BY requested_at LIMIT 1)
            USING ERRCODE = 'PW002';
    END IF;
    RETURN pitwall.finish_action(
        p_action_id, 'release_hold', p_run_id::text,
        jsonb_build_object('run_id', p_run_id, 'user', r.user_id, 'agent', r.agent,
                           'status', r.status, 'held_micros', p_held_micros),
        jsonb_build_object('reserved_micros', p_held_micros),
        jsonb_build_object('reserved_micros', 0),
        p_reason);
END
$$;

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
        RETURN false;
    END IF;
    needed := CASE WHEN action_kind IN ('set_cap', 'cap_expired', 'rebuild_spend',
                                        'release_hold', 'set_spend_alert')
                   THEN 'pitwall_budget_owner'
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

REVOKE EXECUTE ON FUNCTION
    pitwall.act_set_spend_alert(uuid, text, text, numeric, bigint, text),
    pitwall.act_rebuild_spend(uuid, text, text, bigint, text),
    pitwall.act_release_hold(uuid, uuid, bigint, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
    pitwall.act_set_spend_alert(uuid, text, text, numeric, bigint, text),
    pitwall.act_rebuild_spend(uuid, text, text, bigint, text),
    pitwall.act_release_hold(uuid, uuid, bigint, text)
    TO pitwall_viewer, pitwall_operator, pitwall_budget_owner;
