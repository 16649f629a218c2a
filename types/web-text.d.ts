// TextEncoder and TextDecoder are WHATWG APIs present in every host tsvisor targets (Node,
// browsers, Deno), but ES2022's lib does not declare them. The host-free build (tsconfig.pure.json)
// declares the subset the core uses; the Node build gets them from @types/node.
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean });
  decode(input?: ArrayBufferView | ArrayBuffer): string;
}
