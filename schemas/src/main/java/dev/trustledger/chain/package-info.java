/** The per-subject entry hash chain and the per-partition running log hash (DESIGN section 5). */
package dev.trustledger.chain;
