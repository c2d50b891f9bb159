/**
 * State of the device approval page (RFC 8628 §3.3): the code step, the review of one request
 * (which scopes, how long, under which name) and the decision. Knows nothing of the page: it takes
 * the approval routes and a clock, says what is wrong with each field, whether Approve may be
 * pressed, and builds the body. A request the server no longer knows (expired, used, mistyped)
 * sends the user back to the code step with the server's message.
 *
 * The approve body carries only what the user changed: an untouched request is approved exactly as
 * the server proposed it.
 */
import { computed, ref, shallowRef } from 'vue';
import type { DeviceApproveRequest, DeviceDecision, DeviceRequestInfo } from '../types.js';
import { apiError, apiErrorCode } from './api-error.js';
import { approvalExpiry, expiryDateRange } from './device-expiry.js';
import type { DeviceApi } from './use-device-api.js';
import { NAME_MAX } from './use-token-form.js';
import { formatUserCode, parseUserCode, userCodeProblem } from './user-code.js';

export type ApprovalStep = 'code' | 'review' | 'approved' | 'denied';

export interface ApprovalProblems {
	scopes?: string;
	expiry?: string;
	name?: string;
}

/**
 * @example
 * ```ts
 * const approval = useDeviceApproval(useDeviceApi());
 * approval.setCode('bcdf ghjk'); // shows 'BCDF-GHJK'
 * if (await approval.lookup()) approval.scopes.value = ['read'];
 * await approval.approve(); // approval.step.value === 'approved'
 * ```
 */
export function useDeviceApproval(api: Pick<DeviceApi, 'lookup' | 'approve' | 'deny'>, now: () => Date = () => new Date()) {
	const step = ref<ApprovalStep>('code');
	/** The code as the field shows it (`XXXX-XXXX`). */
	const code = ref('');
	/** Continue was pressed: a short code is a problem now, not a code still being typed. */
	const attempted = ref(false);
	const request = shallowRef<DeviceRequestInfo | null>(null);
	/** The requested scopes the user leaves ticked. */
	const scopes = ref<string[]>([]);
	/** Local `YYYY-MM-DD` the token expires (see `device-expiry.ts`). */
	const expiryDate = ref('');
	const name = ref('');
	const busy = ref<'lookup' | 'approve' | 'deny' | null>(null);
	/** The server's refusal of the last action, shown next to the step's buttons. */
	const error = ref<string | null>(null);
	const decision = shallowRef<DeviceDecision | null>(null);

	const codeProblem = computed(() => userCodeProblem(code.value, attempted.value));
	const expiryRange = computed(() => (request.value ? expiryDateRange(request.value.token, now()) : null));
	const expiry = computed(() => (request.value ? approvalExpiry(expiryDate.value, request.value.token, now()) : null));
	/** The ticked scopes, in the order the client asked for them, and only those it asked for. */
	const chosenScopes = computed(() => (request.value?.scopes ?? []).filter((scope) => scopes.value.includes(scope)));

	const problems = computed<ApprovalProblems>(() => {
		const result: ApprovalProblems = {};
		if (!request.value) return result;
		if (chosenScopes.value.length === 0) result.scopes = 'Leave at least one scope ticked, or deny the request.';
		if (expiry.value && !expiry.value.ok) result.expiry = expiry.value.problem;
		const trimmed = name.value.trim();
		if (!trimmed) result.name = 'Give the token a name, e.g. the tool and computer it is for.';
		else if (trimmed.length > NAME_MAX) result.name = `At most ${NAME_MAX} characters.`;
		return result;
	});

	const valid = computed(() => request.value !== null && Object.keys(problems.value).length === 0);

	/** What Approve sends: the code, and only what differs from the server's proposal. */
	const approveBody = computed<DeviceApproveRequest | null>(() => {
		const found = request.value;
		const chosen = expiry.value;
		if (!found || !valid.value || !chosen?.ok) return null;
		const trimmed = name.value.trim();
		return {
			user_code: found.user_code,
			...(trimmed !== found.token.name ? { name: trimmed } : {}),
			...(chosenScopes.value.length < found.scopes.length ? { scopes: [...chosenScopes.value] } : {}),
			...(chosen.expiresAt ? { expires_at: chosen.expiresAt } : {}),
		};
	});

	/** What the code field shows for what was typed or pasted. */
	function setCode(typed: string): void {
		code.value = formatUserCode(typed);
	}

	/** Continue: looks the code up; answers whether the review step opened. */
	async function lookup(): Promise<boolean> {
		if (busy.value) return false;
		attempted.value = true;
		const parsed = parseUserCode(code.value);
		if (!parsed) return false;
		busy.value = 'lookup';
		error.value = null;
		try {
			review(await api.lookup(parsed));
			return true;
		} catch (cause) {
			error.value = apiError(cause).message;
			return false;
		} finally {
			busy.value = null;
		}
	}

	/** Opens the review of `found` on the server's proposal: every scope ticked, its expiry, its name. */
	function review(found: DeviceRequestInfo): void {
		request.value = found;
		code.value = formatUserCode(found.user_code);
		scopes.value = [...found.scopes];
		expiryDate.value = expiryDateRange(found.token, now()).initial;
		name.value = found.token.name;
		step.value = 'review';
	}

	async function approve(): Promise<boolean> {
		const body = approveBody.value;
		if (busy.value || !body) return false;
		return decide('approve', () => api.approve(body));
	}

	async function deny(): Promise<boolean> {
		const found = request.value;
		if (busy.value || !found) return false;
		return decide('deny', () => api.deny(found.user_code));
	}

	async function decide(action: 'approve' | 'deny', send: () => Promise<DeviceDecision>): Promise<boolean> {
		busy.value = action;
		error.value = null;
		try {
			decision.value = await send();
			step.value = action === 'approve' ? 'approved' : 'denied';
			return true;
		} catch (cause) {
			error.value = apiError(cause).message;
			// The request is gone (expired, used, or decided elsewhere): only a new code can help.
			if (apiErrorCode(cause) === 'INVALID_USER_CODE') {
				request.value = null;
				step.value = 'code';
			}
			return false;
		} finally {
			busy.value = null;
		}
	}

	/** Back to an empty code step (another device). */
	function restart(): void {
		step.value = 'code';
		code.value = '';
		attempted.value = false;
		request.value = null;
		decision.value = null;
		error.value = null;
	}

	return {
		step,
		code,
		request,
		scopes,
		expiryDate,
		name,
		busy,
		error,
		decision,
		codeProblem,
		expiryRange,
		expiry,
		problems,
		valid,
		approveBody,
		setCode,
		lookup,
		approve,
		deny,
		restart,
	};
}

export type DeviceApproval = ReturnType<typeof useDeviceApproval>;
