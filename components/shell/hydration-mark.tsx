"use client";

import { useEffect } from "react";

/** Marks the page interactive, so browser tests type only once React owns the inputs. */
export function HydrationMark() {
  useEffect(() => {
    document.body.dataset.hydrated = "true";
  }, []);
  return null;
}
