// Public face of the SEPA direct debit layer: account checks, mandates, the pain.008 file and the bank's returns.
export { checkBic, checkCreditorId, checkIban, maskIban, type BicCheck, type IbanCheck } from './iban.ts';
export { mandateText, newMandateReference, type MandateTextInput } from './mandate.ts';
export { Pain008Stream, buildPain008, type AnnouncedBlock, type DirectDebit, type DirectDebitBatch, type Pain008File, type SequenceType } from './pain008.ts';
export { parseReturnsFile, type ReturnedDebit } from './returns.ts';
export { returnReasonText } from './return-reasons.ts';
export { toSepaText } from './sepa-charset.ts';
