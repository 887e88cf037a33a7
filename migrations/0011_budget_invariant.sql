-- B1, B2: the budget rule in the database as well as in the app. After any change to a budget, a
-- disposition or a transfer, each budget touched must have disposed <= amount + transfers in - transfers
-- out, and a transfer must join two budgets of its own year. The app takes row locks on the budgets
-- involved (in id order) before it checks, so concurrent changes are serialised and this check sees them.
CREATE FUNCTION budget_check(budget bigint) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    available numeric;
    disposed  numeric;
BEGIN
    SELECT b.amount
         + coalesce((SELECT sum(t.amount) FROM budget_transfers t WHERE t.to_budget_id = b.id), 0)
         - coalesce((SELECT sum(t.amount) FROM budget_transfers t WHERE t.from_budget_id = b.id), 0)
      INTO available FROM budgets b WHERE b.id = budget;
    SELECT coalesce(sum(d.amount), 0) INTO disposed FROM budget_dispositions d WHERE d.budget_id = budget;
    IF available IS NOT NULL AND disposed > available THEN
        RAISE EXCEPTION 'B2: budget % would have % disposed of % available', budget, disposed, available
            USING ERRCODE = 'check_violation', CONSTRAINT = 'budget_disposed_within_available';
    END IF;
END $$;

CREATE FUNCTION budget_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'budget_dispositions' THEN
        PERFORM budget_check(NEW.budget_id);
    ELSIF TG_TABLE_NAME = 'budget_transfers' THEN
        IF EXISTS (SELECT 1 FROM budgets b WHERE b.id IN (NEW.from_budget_id, NEW.to_budget_id) AND b.year <> NEW.year) THEN
            RAISE EXCEPTION 'B2: a transfer stays within its budget year'
                USING ERRCODE = 'check_violation', CONSTRAINT = 'budget_transfer_within_year';
        END IF;
        PERFORM budget_check(NEW.from_budget_id);
    ELSE
        PERFORM budget_check(NEW.id);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER budget_dispositions_within_budget AFTER INSERT OR UPDATE ON budget_dispositions
    FOR EACH ROW EXECUTE FUNCTION budget_guard();
CREATE TRIGGER budget_transfers_within_budget AFTER INSERT OR UPDATE ON budget_transfers
    FOR EACH ROW EXECUTE FUNCTION budget_guard();
CREATE TRIGGER budgets_cover_dispositions AFTER UPDATE OF amount ON budgets
    FOR EACH ROW EXECUTE FUNCTION budget_guard();
