export async function startSelftest(root: HTMLElement, _params: URLSearchParams): Promise<void> {
  root.textContent = 'selftest: todo';
}
