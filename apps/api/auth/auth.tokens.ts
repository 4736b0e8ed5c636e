/** Injection token of the local issuer (null when it is off). */
export const LOCAL_ISSUER = Symbol('LOCAL_ISSUER');
