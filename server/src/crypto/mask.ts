// Masking for display (domain.md §6): personal data leaves the server masked by default.
export { maskIdNumber, maskPhone, maskName, maskBankCard, maskAddress } from '@kx/data';
