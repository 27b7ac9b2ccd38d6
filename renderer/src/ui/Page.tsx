import type { ReactNode } from 'react';

interface PageProps {
  title: string;
  children: ReactNode;
}

/** A page frame: its heading names the page for screen readers and tests. */
export function Page({ title, children }: PageProps) {
  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">{title}</h1>
      {children}
    </section>
  );
}
